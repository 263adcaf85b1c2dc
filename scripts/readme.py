#!/usr/bin/env python3
"""Writes the README's generated blocks from their sources, so that they cannot drift from them:

  <!-- walkthrough:NAME:start --> ... <!-- walkthrough:NAME:end -->
      the section NAME of scripts/walkthrough.sh (its lines between "# readme:NAME" and "# readme:end"), which CI runs
  <!-- benchmarks:figures:start --> ... <!-- benchmarks:figures:end -->
      the figures of docs/benchmarks.md, with their goals

  scripts/readme.py           rewrites README.md (bench/write_section.py runs it after each benchmark)
  scripts/readme.py --check   changes nothing; exits 1 naming each block that differs (a test runs this)

Python standard library only.
"""
import difflib
import os
import re
import statistics
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
README = os.path.join(ROOT, "README.md")
WALKTHROUGH = os.path.join(ROOT, "scripts", "walkthrough.sh")
BENCHMARKS = os.path.join(ROOT, "docs", "benchmarks.md")


def read(path):
    with open(path, encoding="utf-8") as file:
        return file.read()


def walkthrough_sections():
    sections, name, lines = {}, None, []
    for line in read(WALKTHROUGH).splitlines(keepends=True):
        marker = re.fullmatch(r"# readme:(\S+)\n", line)
        if marker and marker.group(1) == "end":
            sections[name], name = "".join(lines), None
        elif marker:
            name, lines = marker.group(1), []
        elif name is not None:
            lines.append(line)
    return sections


class Benchmarks:
    """docs/benchmarks.md's sections, each between <!-- name:start --> and <!-- name:end -->."""

    def __init__(self, text):
        self.sections = dict(re.findall(r"<!-- (\S+):start -->(.*?)<!-- \1:end -->", text, re.S))

    def find(self, section, pattern):
        """The groups of pattern in the section; fails naming both where the section no longer says it."""
        match = re.search(pattern, self.sections.get(section, ""), re.S)
        if not match:
            sys.exit(f"readme.py: docs/benchmarks.md's section '{section}' no longer matches {pattern!r}: "
                     "update scripts/readme.py to what it says now")
        return match.groups()

    def rows(self, section, first_cell):
        """The cells of each table row whose first cell matches first_cell."""
        rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
                for line in self.sections.get(section, "").splitlines() if line.startswith("|")]
        found = [row for row in rows if re.fullmatch(first_cell, row[0])]
        if not found:
            sys.exit(f"readme.py: docs/benchmarks.md's section '{section}' has no table row starting {first_cell!r}")
        return found

    def measured(self, section):
        return self.find(section, r"[Mm]easured\s+(\d{4}-\d{2}-\d{2})")[0]


def number(text):
    return float(re.sub(r"[^\d.]", "", text))


def figures(bench):
    """The README's table: what was measured, its goal where it has one, and whether it is met."""
    rows = []

    def row(what, goal, measured, met, section, title):
        verdict = "" if met is None else ("yes" if met else "**no**")
        rows.append(f"| {what} | {goal} | {measured} | {verdict} | {title}, {bench.measured(section)} |")

    elb_share, added_p50, yarp_share = bench.find(
        "proxy", r"Elb reaches (\d+) % of nginx's throughput and adds ([\d.]+) ms to the median latency;\s+YARP alone reaches (\d+) %")
    share_goal, latency_goal = bench.find("proxy", r"Goal: Elb at ≥ (\d+) % of nginx's throughput, < ([\d.]+) ms added median latency")
    rounds = bench.rows("proxy", r"\d+")
    nginx_cpu = statistics.median(number(r[4]) for r in rounds)
    elb_cpu = statistics.median(number(r[8]) for r in rounds)
    yarp_cpu = statistics.median(number(r[12]) for r in rounds)
    row("HTTP proxy: Elb's requests/s against nginx's (median of rounds)", f"≥ {share_goal} %", f"{elb_share} %",
        int(elb_share) >= int(share_goal), "proxy", "Proxying real traffic")
    row("HTTP proxy: median latency Elb adds to nginx's", f"< {latency_goal} ms", f"{added_p50} ms",
        float(added_p50) < float(latency_goal), "proxy", "Proxying real traffic")
    row("HTTP proxy: YARP's forwarder alone against nginx; CPU per request of nginx, YARP alone, Elb", "",
        f"{yarp_share} %; {nginx_cpu:g}, {yarp_cpu:g}, {elb_cpu:g} µs", None, "proxy", "Proxying real traffic")

    (propagation_goal,) = bench.find("propagation", r"Goal: propagation p99 < (\d+) ms")
    nodes = bench.rows("propagation", r"201 → .*")
    worst_p99 = max(number(r[3]) for r in nodes)
    row("member POST's 201 → visible in every node's routing table, p99 (median)", f"< {propagation_goal} ms",
        f"{worst_p99:g} ms ({max(number(r[2]) for r in nodes):g} ms)", worst_p99 < int(propagation_goal),
        "propagation", "Propagation")
    (everywhere,) = bench.rows("propagation", r"member POST sent → shown by every node")
    (background,) = bench.find("propagation", r"other member POSTs run at (\d+) per second")
    row(f"member POST sent → shown by every node, with {background} POSTs/s of background load: p99 (median)",
        f"< {propagation_goal} ms", f"{everywhere[3]} ms ({everywhere[2]} ms)", number(everywhere[3]) < int(propagation_goal),
        "propagation", "Propagation")

    (pick_goal,) = bench.find("microbenchmarks", r"Pick cost \(goal: ≤ (\d+) ns and 0 bytes per pick\)")
    picks = bench.rows("microbenchmarks", r"\*\*Pick\*\*")
    slowest = max(number(r[3]) for r in picks)
    allocates = any(r[-1].strip("*") != "-" for r in picks)
    row("one pick of a member, slowest algorithm and pool size", f"≤ {pick_goal} ns, 0 bytes",
        f"{slowest:g} ns, {'allocates' if allocates else '0 bytes'}", slowest <= int(pick_goal) and not allocates,
        "microbenchmarks", "Micro-benchmarks")
    (cold_goal,) = bench.find("microbenchmarks", r"Node cold start, 10,000 load balancers × 50 members \(goal: < (\d+) s\)")
    (cold,) = bench.rows("microbenchmarks", r"ReadSnapshotAndBuildTables")
    row("node cold start: 10,000 load balancers × 50 members read and built", f"< {cold_goal} s", cold[1],
        number(cold[1]) < int(cold_goal) * 1000, "microbenchmarks", "Micro-benchmarks")

    (signed,) = bench.rows("commands", r"member POST → 201 \(.*AK/SK-signed\)")
    row("member POST → 201, one at a time, AK/SK-signed: median, p99", "", f"{signed[2]} ms, {signed[3]} ms", None,
        "commands", "Command latency")
    # the CPU table's rows carry the same labels: the throughput table's are the ones with latencies
    measured_rows = [r for r in bench.rows("throughput", r".*, (1 client|16 clients)")
                     if "(before)" not in r[0] and r[2].endswith("ms")]
    rate_goal, p99_goal, p50_goal = bench.find(
        "throughput", r"Goals: ≥ ([\d,]+) commands/s at 16\s+clients with p99 < (\d+) ms; one client: p50 < (\d+) ms")
    one, sixteen = measured_rows
    row("member POSTs per second at 16 clients, and their p99", f"≥ {rate_goal}/s, p99 < {p99_goal} ms",
        f"{sixteen[1]}/s, {number(sixteen[3]):g} ms", number(sixteen[1]) >= number(rate_goal) and number(sixteen[3]) < int(p99_goal),
        "throughput", "Command throughput")
    row("member POST → 201 with one client: p50 (commands/s)", f"< {p50_goal} ms", f"{number(one[2]):g} ms ({one[1]}/s)",
        number(one[2]) < int(p50_goal), "throughput", "Command throughput")
    (pgbench,) = bench.find("throughput", r"PostgreSQL commits \*\*(\d+) single-row transactions/s\*\*")
    row("PostgreSQL's own ceiling: single-row commits per second (pgbench)", "", pgbench, None, "throughput",
        "Command throughput")

    events, rate = bench.find("readside", r"([\d,]+) events seeded.*?Rebuilt .*? in [\d.]+ s: ([\d,]+) events/s")
    row(f"read models rebuilt (`elb projections rebuild`), over {events} events", "", f"{rate} events/s", None,
        "readside", "Read side")
    (lookup,) = bench.rows("readside", r"member lookup by address.*")
    row("member lookup by address: median, p99", "", f"{lookup[1]} ms, {lookup[2]} ms", None, "readside", "Read side")

    (quiet,) = bench.rows("isolation", r".*change a member's weight, during the flood")
    row("one project's weight change while another floods: median, p99", "", f"{quiet[2]} ms, {quiet[3]} ms", None,
        "isolation", "One project's flood")

    faults = bench.rows("faults", r"[^-].*")
    lost = [re.fullmatch(r"\*\*(\d+) / (\d+)\*\*", r[8]) for r in faults[1:]]
    if not all(lost):
        sys.exit("readme.py: docs/benchmarks.md's faults table no longer has '**history / events**' in its 9th column")
    lost_total = sum(int(m.group(1)) + int(m.group(2)) for m in lost)
    row("answered 2xx but missing from the history or elb.events, over PostgreSQL, RabbitMQ and gateway restarts", "0",
        str(lost_total), lost_total == 0, "faults", "Faults")

    header = ["| what | goal | measured | met | docs/benchmarks.md |", "|---|---|---|---|---|"]
    return "\n".join(header + rows) + "\n"


def generated(readme):
    sections = walkthrough_sections()
    blocks = {("walkthrough", name): f"```sh\n{text}```\n" for name, text in sections.items()}
    blocks[("benchmarks", "figures")] = figures(Benchmarks(read(BENCHMARKS)))
    found = set()

    def replace(match):
        key = (match.group(1), match.group(2))
        if key not in blocks:
            sys.exit(f"readme.py: README.md marks {match.group(1)}:{match.group(2)}, which no source has")
        found.add(key)
        return f"{match.group(0).split('-->')[0]}-->\n{blocks[key]}<!-- {key[0]}:{key[1]}:end -->"

    text = re.sub(r"<!-- (walkthrough|benchmarks):(\S+):start -->.*?<!-- \1:\2:end -->", replace, readme, flags=re.S)
    missing = sorted(f"{source}:{name}" for source, name in set(blocks) - found)
    if missing:
        sys.exit(f"readme.py: README.md shows no block for {', '.join(missing)}")
    return text


def main():
    readme = read(README)
    text = generated(readme)
    if "--check" in sys.argv[1:]:
        if text != readme:
            diff = difflib.unified_diff(readme.splitlines(keepends=True), text.splitlines(keepends=True),
                                        "README.md", "README.md as scripts/readme.py writes it")
            sys.stdout.writelines(diff)
            sys.exit("README.md differs from scripts/walkthrough.sh or docs/benchmarks.md: run scripts/readme.py")
        return
    if text != readme:
        with open(README, "w", encoding="utf-8") as file:
            file.write(text)


if __name__ == "__main__":
    main()
