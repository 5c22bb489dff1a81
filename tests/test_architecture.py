"""The shape of the code, as the README's architecture section describes it: a vendor is named only in
its own folders and the registry, the modules import each other without a circle, only portal.tasks
sends tasks, and the portal's code never imports the simulator."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_PARTY = ("payrollsync", "portal", "integrations", "connectors", "yuki_client", "sandbox")
VENDOR = re.compile(r"loket|nmbrs", re.IGNORECASE)
# Yuki's new name ("Nmbrs Accounting") is the booking target, not the payroll source; citing a vendor's
# page in docs/vendors/ is how comments say where a rule comes from.
NOT_THE_SOURCE = re.compile(r"Nmbrs Accounting|docs/vendors/\w+\.md", re.IGNORECASE)

# Where a vendor may be named: its folders, the registry and the translations. Each integration owns its
# models and migrations (README, "Architecture"); the portal's migrations written before the vendor state
# moved out (up to 0028, and 0029 which moves it) keep the names they had, no later one may name a vendor.
VENDOR_HOMES = ("integrations/", "connectors/loket/", "connectors/nmbrs/", "connectors/nmbrs_rest/", "sandbox/",
                "locale/", "portal/sources/registry.py")
LAST_OLD_MIGRATION = 29
# Still naming a vendor, each for a reason; this list may only shrink. Empty: the administration form,
# the effective settings, Django's settings, the annual documents page and the sandbox banner ask the
# registry (README, "Adding a payroll source").
KNOWN: dict[str, str] = {}


def production_files(*suffixes):
    for top in ("payrollsync", "portal", "integrations", "connectors", "yuki_client", "static", "templates"):
        for path in sorted((ROOT / top).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix in suffixes and "/tests/" not in f"/{relative}" and not relative.startswith("static/portal/htmx"):
                yield relative, path


def test_no_vendor_is_named_outside_its_folders_and_the_registry():
    offenders = sorted(
        relative for relative, path in production_files(".py", ".html", ".js", ".css")
        if not relative.startswith(VENDOR_HOMES) and relative not in KNOWN and not is_old_migration(relative)
        and VENDOR.search(NOT_THE_SOURCE.sub("", path.read_text(encoding="utf-8"))))
    assert offenders == [], "name the source through portal.sources, or move the code to its folder"
    still_named = {relative for relative, path in production_files(".py", ".html", ".js")
                   if VENDOR.search(NOT_THE_SOURCE.sub("", path.read_text(encoding="utf-8")))}
    assert set(KNOWN) <= still_named, f"no longer naming a vendor, remove from KNOWN: {set(KNOWN) - still_named}"


def is_old_migration(relative: str) -> bool:
    match = re.fullmatch(r"portal/migrations/(\d{4})_\w+\.py", relative)
    return match is not None and int(match.group(1)) <= LAST_OLD_MIGRATION


def test_the_portals_models_hold_no_vendor_state():
    """No vendor name in portal/models/ (its texts, fields, tables) nor among the portal models' fields and
    table names as Django sees them (a vendor column added under another file name is caught too)."""
    from django.apps import apps

    named = sorted(relative for relative, path in production_files(".py") if relative.startswith("portal/models/")
                   and VENDOR.search(NOT_THE_SOURCE.sub("", path.read_text(encoding="utf-8"))))
    assert named == [], "a source's state goes in its own app's models (integrations/<source>/models.py)"
    columns = sorted(f"{model._meta.db_table}.{field.column}" for model in apps.get_app_config("portal").get_models()
                     for field in model._meta.concrete_fields if VENDOR.search(f"{model._meta.db_table}.{field.column}"))
    assert columns == []
    migrations = sorted(path.name for path in (ROOT / "portal" / "migrations").glob("0*.py"))
    assert migrations and all(is_old_migration(f"portal/migrations/{name}") or not VENDOR.search(
        NOT_THE_SOURCE.sub("", (ROOT / "portal" / "migrations" / name).read_text(encoding="utf-8"))) for name in migrations)


def test_the_third_source_is_its_own_folder_with_its_own_model_and_migration():
    """The test-only source (tests/engine/third_source/) has its model and migration in its folder; nothing
    under portal/ names it."""
    folder = ROOT / "tests" / "engine" / "third_source"
    assert (folder / "models.py").exists() and list((folder / "migrations").glob("0001_*.py"))
    assert [relative for relative, path in production_files(".py", ".html", ".js")
            if relative.startswith("portal/") and "paperclip" in path.read_text(encoding="utf-8").lower()] == []


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for top in FIRST_PARTY for path in (ROOT / top).rglob("*.py")
            if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)}


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(tree: ast.Module, modules, *, top_level_only: bool):
    """The first-party modules a module imports (at import time only, or anywhere). `from package import
    submodule` needs only the submodule: a package being initialised hands out its submodules."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            continue
        if top_level_only and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        pending.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                yield submodule if submodule in modules else node.module


def _graph(*, top_level_only: bool) -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {target for target in _imports(tree, modules, top_level_only=top_level_only)
                       if target in modules and target != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_not_even_through_imports_inside_functions():
    assert _cycles(_graph(top_level_only=True)) == [], "a circle at import time"
    assert _cycles(_graph(top_level_only=False)) == [], "a circle hidden by an import inside a function"


def test_the_engine_never_imports_the_tasks_and_only_the_tasks_send_them():
    graph = _graph(top_level_only=False)  # also imports inside functions
    engine = [name for name in graph if name.startswith(("portal.imports", "portal.sources", "portal.scheduling"))]
    assert engine and [name for name in engine if "portal.tasks" in graph[name]] == []
    senders = sorted(relative for relative, path in production_files(".py")
                     if re.search(r"\.(delay|apply_async)\(", path.read_text(encoding="utf-8")))
    assert senders == ["portal/tasks.py"]


def test_the_portals_code_never_imports_the_simulator():
    # both refuse to run without SANDBOX_ENABLED
    sandbox_mode_only = {"portal.management.commands.seed_demo", "portal.management.commands.run_sandbox"}
    graph = _graph(top_level_only=False)
    importers = sorted(name for name, targets in graph.items()
                       if not name.startswith("sandbox") and name not in sandbox_mode_only
                       and any(target.startswith("sandbox") for target in targets))
    assert importers == []


def test_the_connectors_and_the_yuki_client_are_plain_libraries():
    """No Django and no portal in connectors/ and yuki_client/: each vendor's Django side is its folder
    under integrations/."""
    offenders = []
    for top in ("connectors", "yuki_client"):
        for path in (ROOT / top).rglob("*.py"):
            if "tests" in path.relative_to(ROOT).parts:
                continue  # their tests may read the Dutch texts through the portal's catalog (connectors/texts.py)
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
            imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
            if any(name.split(".")[0] in ("django", "portal", "integrations", "payrollsync") for name in imported):
                offenders.append(path.relative_to(ROOT).as_posix())
    assert sorted(offenders) == []


# -- the tests' own shape (README "Architecture", tests paragraph) --------------------------------------------
TEST_FOLDERS = ("tests", "connectors", "integrations", "yuki_client")
# What drives Chromium: Playwright itself, the Chromium helper, and the browser fixtures of tests/browser/.
BROWSER_USE = re.compile(r"\b(playwright|chromium_page)\b")
BROWSER_FIXTURES = {"journey", "page_as", "english_browser"}
# Fixture names still defined in more than one test module of one folder tree, each with a different
# meaning there; this list may only shrink (a fixture two modules share moves to their conftest.py).
KNOWN_REPEATED_FIXTURES = {
    "administration", "alice", "clock", "demo", "dutch", "dutch_portal", "korenschoof", "paperclip", "portal",
    "world",
}


def _test_modules():
    for top in TEST_FOLDERS:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if top == "tests" or "/tests/" in relative:
                yield relative, path


def _fixtures(tree: ast.Module) -> set[str]:
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
            and any("fixture" in ast.unparse(decorator) for decorator in node.decorator_list)}


def test_every_test_that_drives_chromium_lives_in_tests_browser():
    offenders = []
    for relative, path in _test_modules():
        if relative.startswith("tests/browser/") or relative in ("tests/support.py", "tests/test_architecture.py"):
            continue
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        asked = {arg.arg for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                 and node.name.startswith("test_") for arg in node.args.args}
        if BROWSER_USE.search(source) or asked & BROWSER_FIXTURES or "mark.browser" in source:
            offenders.append(relative)
    assert offenders == [], "a browser test goes to tests/browser/ (one folder for every Chromium test)"


def test_nothing_imports_from_a_conftest():
    """conftest.py holds fixtures and hooks; helpers and shared fixtures live in modules (tests/people.py,
    tests/support.py, connectors/<source>/tests/fixtures.py) that the conftests import."""
    offenders = []
    for relative, path in _test_modules():
        if relative == "tests/browser/test_journey_fixture.py":  # it tests the conftest's own hook
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] + [f"{node.module}.{alias.name}" for alias in node.names]
                     if isinstance(node, ast.ImportFrom) else
                     [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            if any(name == "conftest" or name.endswith(".conftest") for name in names):
                offenders.append(relative)
    assert offenders == []


def test_a_fixture_is_defined_once_where_its_tests_see_it():
    """No conftest fixture is redefined below it (shadowed), and a fixture two test modules of one folder
    tree define alike belongs in their conftest.py."""
    defined: dict[str, list[str]] = {}
    for relative, path in _test_modules():
        for name in _fixtures(ast.parse(path.read_text(encoding="utf-8"))):
            defined.setdefault(name, []).append(relative)
    shadowed = sorted(
        f"{name}: {conftest} and {other}" for name, places in defined.items()
        for conftest in places if conftest.endswith("conftest.py")
        for other in places if other != conftest and other.startswith(conftest.removesuffix("conftest.py")))
    assert shadowed == []
    trees = {name: {place.split("/")[0] if place.startswith("tests/") else place.rsplit("/tests/", 1)[0]
                    for place in places} for name, places in defined.items()}
    repeated = {name for name, places in defined.items()
                if len(places) > len(trees[name]) and not all(p.endswith(("conftest.py", "fixtures.py"))
                                                              for p in places)}
    assert repeated <= KNOWN_REPEATED_FIXTURES, f"define these once, in a conftest: {repeated - KNOWN_REPEATED_FIXTURES}"
    assert KNOWN_REPEATED_FIXTURES <= repeated, f"defined once now: remove {KNOWN_REPEATED_FIXTURES - repeated}"


# A comment cites a document inside the repository (docs/vendors/*.md, the README) or says why; never the
# evidence folders outside it, an issue number, or a path on the development machine.
OUTSIDE_CITATION = re.compile(
    r"\.\./shared|\bseeds?/|\bseed \d{3}\b|\breference/|/work/"
    r"|\b(?:issue|pr|pull request)\s*#?\d+|(?<![\w&/#:\"'])#\d{1,4}\b",
    re.IGNORECASE)


def test_comments_cite_only_documents_inside_the_repository():
    this_file = Path(__file__).resolve()
    files = list(production_files(".py", ".html", ".js"))
    files += [(relative, path) for relative, path in _test_modules() if path != this_file]
    for top in ("sandbox", "bench", "scripts"):
        files += [(path.relative_to(ROOT).as_posix(), path) for path in sorted((ROOT / top).rglob("*"))
                  if path.suffix in (".py", ".html", ".js", ".sh")]
    offenders = sorted({f"{relative}:{number}: {line.strip()}" for relative, path in files
                        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                        if OUTSIDE_CITATION.search(line)})
    assert offenders == [], "cite docs/vendors/*.md or the README, or say why"


# No product module over this many lines: a module that grows past it is split by meaning (README,
# "Architecture"). Migrations are history, not modules one reads; tests are not product code.
MAX_MODULE_LINES = 300
SIZED = ("payrollsync", "portal", "integrations", "connectors", "yuki_client", "sandbox")
# Modules allowed over the limit for a while, each with its reason (empty: none); the test fails when a listed
# module is no longer over it, so the entry cannot be forgotten.
OVERSIZED_FOR_NOW: dict[str, str] = {}


def product_modules():
    for top in SIZED:
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" not in f"/{relative}" and "/migrations/" not in relative:
                yield relative, path


def test_no_product_module_is_over_the_size_limit():
    sizes = {relative: len(path.read_text(encoding="utf-8").splitlines()) for relative, path in product_modules()}
    assert len(sizes) > 100, "the walk found the product modules"
    over = {relative: n for relative, n in sizes.items() if n > MAX_MODULE_LINES and relative not in OVERSIZED_FOR_NOW}
    assert over == {}, f"split these by meaning (at most {MAX_MODULE_LINES} lines each): {over}"
    back_under = {relative for relative in OVERSIZED_FOR_NOW if sizes.get(relative, 0) <= MAX_MODULE_LINES}
    assert back_under == set(), f"no longer over the limit, remove from OVERSIZED_FOR_NOW: {back_under}"
