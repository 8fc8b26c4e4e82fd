#!/usr/bin/env python3
"""Follows the repository README's quick start verbatim in an empty folder and builds the result.

quickstart.py README.md WORKDIR: runs the shell block marked <!-- quickstart: commands --> as it stands (one bash,
stopping at the first failing command), writes each block marked <!-- quickstart: file NAME --> to NAME in the folder
the commands ended in, builds that project in Release and prints the path of its assembly (the only line on stdout).

Nothing is substituted: the environment decides where packages come from (the caller writes a nuget.config with the
local feed into WORKDIR and clears the packed version from the global packages folder), the README decides the rest,
so a README that does not restore, compile or start fails here."""
import glob, os, re, subprocess, sys

readme_path, workdir = sys.argv[1], os.path.abspath(sys.argv[2])
lines = open(readme_path, encoding="utf-8").read().replace("\r\n", "\n").split("\n")


def blocks():
    """(kind, argument, code) for every fenced block whose marker <!-- quickstart: ... --> stands above it (other
    markers, such as the snippet check's, may stand between)."""
    i = 0
    while i < len(lines):
        marker = re.fullmatch(r"\s*<!-- quickstart: (\w+)(?: (\S+))? -->\s*", lines[i])
        i += 1
        if not marker:
            continue
        while i < len(lines) and re.fullmatch(r"\s*<!--.*-->\s*", lines[i]):
            i += 1
        if i >= len(lines) or not lines[i].startswith("```"):
            raise SystemExit(f"{readme_path}: the quickstart marker above line {i + 1} is not followed by a code block")
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == "```"), None)
        if end is None:
            raise SystemExit(f"{readme_path}: the code block at line {i + 1} is not closed")
        yield marker.group(1), marker.group(2), "\n".join(lines[i + 1:end]) + "\n"
        i = end + 1


found = list(blocks())
commands = [code for kind, _, code in found if kind == "commands"]
files = [(name, code) for kind, name, code in found if kind == "file"]
if len(commands) != 1 or not files:
    raise SystemExit(f"{readme_path}: expected one 'quickstart: commands' block and at least one 'quickstart: file' block, found {[k for k, _, _ in found]}")

os.makedirs(workdir, exist_ok=True)
cwd_file = os.path.join(workdir, ".quickstart-cwd")
script = "set -euo pipefail\n" + commands[0] + f'\npwd > "{cwd_file}"\n'
print(f"$ (in {workdir})\n{commands[0]}", file=sys.stderr)
subprocess.run(["bash", "-c", script], cwd=workdir, check=True, stdout=sys.stderr)
project_dir = open(cwd_file).read().strip()

for name, code in files:
    path = os.path.join(project_dir, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(code)
    print(f"wrote {path} ({code.count(chr(10))} lines from {readme_path})", file=sys.stderr)

[project] = glob.glob(os.path.join(project_dir, "*.csproj"))
subprocess.run(["dotnet", "build", project, "-c", "Release", "-warnaserror"], check=True, stdout=sys.stderr)
name = os.path.splitext(os.path.basename(project))[0]
print(os.path.join(project_dir, "bin", "Release", "net10.0", name + ".dll"))
