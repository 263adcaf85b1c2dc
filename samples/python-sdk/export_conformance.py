"""Turns a recorded SDK flow (ELB_SDK_RECORD=... run.sh) into tests/Elb.Conformance.Tests/sdk-flow.json.

For each call: the request exactly as the SDK sent it, with the run's ids, names and certificate replaced by
placeholders; the status it got; and what the SDK reads of the answer: each field of the SDK's response model that
Elb answered, as a path with the type the model declares. The SDK's models themselves go in too, so the C# test
checks every answer against them without the SDK. Usage (the SDK's source on PYTHONPATH, as run.sh sets it):
    python3 export_conformance.py /tmp/sdk-flow.jsonl > tests/Elb.Conformance.Tests/sdk-flow.json
"""
import json
import re
import sys
from urllib.parse import urlsplit

import huaweicloudsdkelb.v3.model as models

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
steps = [json.loads(line) for line in open(sys.argv[1])]
run = re.search(r'vpc-sdk-(\d+)', json.dumps(steps)).group(1)
project = steps[0]["request"]["headers"]["X-Project-Id"]

schemas = {}


def schema_of(type_name):
    """The SDK model's fields by JSON name with their declared types, and every model they use."""
    cls = getattr(models, type_name, None)
    if cls is None or type_name in schemas:
        return
    schemas[type_name] = {json_name: cls.openapi_types[attribute] for attribute, json_name in cls.attribute_map.items()}
    for declared in schemas[type_name].values():
        schema_of(re.sub(r"^(list\[)+|\]+$", "", declared))


def reads(value, type_name, path):
    """The paths of the answer the model declares (`[]`: each element), with their declared types."""
    if value is None:
        return []
    if type_name.startswith("list["):
        inner = type_name[5:-1]
        found = [(path, "list")]
        for item in value[:1]:
            found += reads(item, inner, path + "[]")
        return found
    if type_name not in schemas:
        return [(path, type_name)] if path else []
    found = [(path, "object")] if path else []
    for key, item in value.items():
        if key in schemas[type_name]:
            found += reads(item, schemas[type_name][key], f"{path}.{key}" if path else key)
    return found


ids = {}  # uuid -> placeholder, in the order the answers gave them
captures_of = {}
out = []
for number, step in enumerate(steps):
    request = step["request"]
    url = urlsplit(request["url"])
    text = json.dumps({"path": url.path, "query": url.query, "body": request["body"]})
    for uuid in dict.fromkeys(UUID.findall(text)):
        if uuid not in ids:
            raise SystemExit(f"step {number} sends {uuid}, which no answer before it gave")
    substituted = json.loads(UUID.sub(lambda m: "{" + ids[m.group(0)] + "}", text)
                             .replace(run, "{run}").replace(project, "{project_id}"))
    if step["operation"] == "create_certificate":
        body = json.loads(substituted["body"])
        body["certificate"]["certificate"] = "{certificate_pem}"
        body["certificate"]["private_key"] = "{private_key_pem}"
        substituted["body"] = json.dumps(body)
    entry = {"operation": step["operation"], "method": request["method"], "path": substituted["path"],
             "query": substituted["query"], "content_type": request["headers"].get("Content-Type"),
             "body": substituted["body"], "status": step["status"]}
    response = step["response"]
    if step["response_model"]:
        schema_of(step["response_model"])
        entry["response_model"] = step["response_model"]
        entry["reads"] = {path: declared for path, declared in reads(response, step["response_model"], "")}
        # Ids first given here, which later requests send back: the test takes them from its own answer.
        captures = {}

        def walk(value, path):
            if isinstance(value, dict):
                for key, item in value.items():
                    walk(item, f"{path}.{key}" if path else key)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    walk(item, f"{path}[{index}]")
            elif isinstance(value, str) and UUID.fullmatch(value) and value not in ids:
                ids[value] = f"{step['operation']}#{number}.{path}"
                captures[ids[value]] = path
        walk(response, "")
        entry["captures"] = captures
    else:
        entry["error_code"] = response["error_code"]
    out.append(entry)

used = set(re.findall(r"\{([^{}]+#\d+\.[^{}]+)\}", json.dumps(out)))
for entry in out:
    if "captures" in entry:
        entry["captures"] = {name: path for name, path in entry["captures"].items() if name in used}
json.dump({"sdk": "huaweicloudsdkelb (huaweicloud-sdk-python-v3)", "steps": out, "models": schemas}, sys.stdout, indent=1)
print()
