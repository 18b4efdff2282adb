#!/usr/bin/python3
"""Checks docs/adding-a-platform.md against the tree.

    layout_test.py --source-dir REPO

1. Every path the page names (in backticks, with a '/') exists; a path with
   <name> exists for every built-in driver (for one at least when its table
   row says "optional").
2. The page lists every shared file a driver touches: a file outside the
   driver's own folders that includes its headers, names its namespace or
   links its library must be one of the page's shared files.
3. server/ hard-codes no platform name (string literals outside comments),
   and the core reads no platform's option by name.

Exit code 0 when all hold; otherwise one line per failure.
"""
import argparse
import os
import re
import sys

DOC = "docs/adding-a-platform.md"
BUILTIN = "platforms/builtin.cc"
# Names the API has for platforms beyond the built-in drivers (proto
# StartRequest.platform), and the test platform.
OTHER_PLATFORM_NAMES = ["brev", "lepton", "kubernetes", "test"]
# Option names of platforms the core used to read itself.
PLATFORM_OPTION_NAMES = ["instance_id", "namespace_", "partition"]
CODE_SUFFIXES = (".cc", ".h")
SKIP_DIRS = {".git", "build", "node_modules", "third_party"}


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def code_files(root, under=""):
    """Source and CMake files below root/under, as paths relative to root."""
    for folder, dirs, files in os.walk(os.path.join(root, under)):
        dirs[:] = [d for d in dirs
                   if d not in SKIP_DIRS and not d.startswith("build")]
        for name in files:
            if name.endswith(CODE_SUFFIXES) or name == "CMakeLists.txt":
                yield os.path.relpath(os.path.join(folder, name), root)


def without_comments(path, text):
    """The text without // comments (C++) or # comments (CMake)."""
    marker = "#" if path.endswith("CMakeLists.txt") else "//"
    lines = []
    for line in text.splitlines():
        if line.lstrip().startswith(marker):
            continue
        if marker == "//" and " // " in line:
            line = line[:line.index(" // ")]
        lines.append(line)
    return "\n".join(lines)


def builtin_drivers(root):
    """(platform name, namespace) of each line of kBuiltinPlatforms."""
    return re.findall(r'\{"([a-z0-9-]+)",\s*&(\w+)::CreateFromEnvironment\}',
                      read(os.path.join(root, BUILTIN)))


def doc_paths(doc):
    """(path, optional) for every backticked path of the page."""
    found = []
    for line in doc.splitlines():
        optional = "optional" in line
        for path in re.findall(r"`([A-Za-z0-9_.<>/-]*/[A-Za-z0-9_.<>/-]*)`",
                               line):
            found.append((path, optional))
    return found


def shared_files(doc):
    """The files of the page's table of shared files."""
    section = doc.split("One line (or two) in each of these shared files", 1)
    if len(section) != 2:
        return set()
    table = section[1].split("\n\n", 2)[1]
    return set(re.findall(r"^\| `([^`]+)` \|", table, re.M))


def check_paths(root, doc, drivers, failures):
    for path, optional in doc_paths(doc):
        if "<name>" not in path:
            if not os.path.exists(os.path.join(root, path)):
                failures.append(f"{DOC} names {path}, which does not exist")
            continue
        present = [ns for _, ns in drivers
                   if os.path.exists(os.path.join(root,
                                                  path.replace("<name>", ns)))]
        if optional and not present:
            failures.append(f"{DOC} names {path}, which no driver has")
        if not optional and len(present) != len(drivers):
            missing = sorted({ns for _, ns in drivers} - set(present))
            failures.append(f"{DOC} names {path}, which is missing for "
                            f"{', '.join(missing)}")


def driver_folders(root):
    """Every folder of platforms/ that holds a driver (built in or not
    yet): all but the shared code."""
    base = os.path.join(root, "platforms")
    return [d for d in sorted(os.listdir(base))
            if os.path.isdir(os.path.join(base, d)) and d != "common"]


def check_shared_files(root, doc, drivers, failures):
    listed = shared_files(doc)
    if not listed:
        failures.append(f"{DOC} has no table of shared files")
        return
    for _, ns in drivers:
        own = (f"platforms/{ns}/", f"tests/platforms/{ns}/",
               f"tests/fakes/{ns}/", "tests/integration/")
        # Test code of other parts that reuses this driver's pieces (the
        # fakes run workloads with local-docker's Engine API client; one
        # driver's tests, also of a driver not registered yet, may use
        # another's test environment) is not a file that adding this
        # driver touches.
        reusers = ("tests/fakes/",) + tuple(
            f"tests/platforms/{other}/" for other in driver_folders(root)
            if other != ns)
        mention = re.compile(
            rf"platforms/{ns}/|platforms::{ns}\b|\b{ns}::|tao_platform_{ns}\b")
        for path in code_files(root):
            if path.startswith(own) or path.startswith(reusers) or \
                    path in listed:
                continue
            # End-to-end suites are a platform's own folders too.
            if re.match(r"tests/integration/[^/]+/", path):
                continue
            text = without_comments(path, read(os.path.join(root, path)))
            if mention.search(text):
                failures.append(f"{path} refers to driver {ns} but is not "
                                f"among the shared files of {DOC}")


def check_server(root, drivers, failures):
    names = [name for name, _ in drivers] + OTHER_PLATFORM_NAMES
    literal = re.compile("|".join(rf'"{re.escape(n)}"' for n in names))
    option = re.compile("|".join(rf'"{re.escape(n)}"'
                                 for n in PLATFORM_OPTION_NAMES))
    for path in code_files(root, "server"):
        text = without_comments(path, read(os.path.join(root, path)))
        for match in literal.finditer(text):
            failures.append(f"{path} hard-codes the platform name "
                            f"{match.group(0)}")
        # The registry's own JSON keys are no platform options.
        if path.startswith("server/core/registry/"):
            continue
        for match in option.finditer(text):
            failures.append(f"{path} reads the platform option "
                            f"{match.group(0)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", required=True)
    root = parser.parse_args().source_dir
    failures = []
    drivers = builtin_drivers(root)
    if not drivers:
        failures.append(f"no driver found in the table of {BUILTIN}")
    doc = read(os.path.join(root, DOC))
    check_paths(root, doc, drivers, failures)
    check_shared_files(root, doc, drivers, failures)
    check_server(root, drivers, failures)
    for failure in failures:
        print(failure)
    print(f"layout_test: {len(drivers)} drivers, {len(doc_paths(doc))} paths "
          f"named, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
