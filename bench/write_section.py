"""Replaces (or appends) one marked section of docs/benchmarks.md with the text in $SECTION, then has
scripts/readme.py copy the figures into the README, so that the two never disagree."""
import os
import re
import subprocess
import sys

path, name, title = sys.argv[1], sys.argv[2], sys.argv[3]
section = os.environ["SECTION"]
text = open(path).read() if os.path.exists(path) else (
    "# Benchmarks\n\nEvery section here is written by the script named in it; rerun the script to refresh it.\n")
pattern = re.compile(rf"<!-- {name}:start -->.*?<!-- {name}:end -->", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else f"{text.rstrip()}\n\n## {title}\n\n{section}\n"
open(path, "w").write(text)
subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "readme.py")],
               check=True)
