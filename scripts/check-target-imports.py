#!/usr/bin/env python3
"""Checks that every target of the package declares, as a direct dependency, each module its sources import.

SwiftPM's --explicit-target-dependency-import-check only refuses imports of package targets outside a target's
dependency closure; this also refuses a module reached only through another dependency. Modules of the toolchain
(Foundation, Glibc, Testing, ...) need no declaration. Prints each missing declaration; exit status 1 if any.
"""
import json, pathlib, re, subprocess, sys

TOOLCHAIN = {"Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationXML", "Dispatch", "Glibc", "Musl",
             "Darwin", "Android", "WinSDK", "Testing", "XCTest", "Synchronization", "_Concurrency", "Swift", "os"}
# Imports at the start of a line only: Python or shell inside a Swift string literal is indented.
IMPORT = re.compile(r"^(?:@\w+(?:\([^)]*\))?\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?(\w+)", re.M)

root = pathlib.Path(__file__).resolve().parent.parent
package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True, capture_output=True, text=True).stdout)
problems = []
for target in package["targets"]:
    declared = set()
    for dependency in target.get("dependencies", []):
        for kind in ("byName", "target", "product"):
            if kind in dependency:
                declared.add(dependency[kind][0])
    path = root / (target.get("path") or ("Tests" if target["type"] == "test" else "Sources") + "/" + target["name"])
    for source in sorted(path.rglob("*.swift")):
        for module in sorted(set(IMPORT.findall(source.read_text(encoding="utf-8")))):
            if module not in declared and module not in TOOLCHAIN and module != target["name"]:
                problems.append(f"{source.relative_to(root)}: imports {module}, which target {target['name']} does not declare")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
