"""Checks a Python program's use of a generated Pulumi SDK without importing either (the `pulumi`
package is not installed here): every `sdk.Name(...)` names a class or function of the SDK, its
keywords are parameters it takes, and every attribute read from a resource or invoke result the
program made is one of its properties.

    python3 python_sdk_usage.py <sdk package dir> <alias> <program.py>

Prints a JSON list of problems ([] when there are none)."""
import ast
import json
import pathlib
import sys


def sdk_members(package_dir):
    """name -> {"params": set, "properties": set, "returns": class name or None}"""
    members = {}
    for source in sorted(pathlib.Path(package_dir).glob("*.py")):
        tree = ast.parse(source.read_text(), str(source))
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                methods = {f.name: f for f in node.body if isinstance(f, ast.FunctionDef)}
                init = methods.get("_internal_init") or methods.get("__init__")
                properties = {
                    f.name
                    for f in node.body
                    if isinstance(f, ast.FunctionDef)
                    and any(is_property(d) for d in f.decorator_list)
                }
                members[node.name] = {
                    "params": parameters(init) if init else set(),
                    "properties": properties,
                    "returns": node.name,
                }
            elif isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                members[node.name] = {
                    "params": parameters(node),
                    "properties": set(),
                    "returns": output_class(node.returns),
                }
    return members


def is_property(decorator):
    """`@property` or `@builtins.property` under any alias."""
    return getattr(decorator, "id", None) == "property" or getattr(decorator, "attr", None) == "property"


def parameters(function):
    args = function.args
    return {a.arg for a in args.args + args.kwonlyargs} - {"__self__", "resource_name"}


def output_class(annotation):
    """`pulumi.Output[GetDeviceResult]` -> "GetDeviceResult"."""
    if isinstance(annotation, ast.Subscript) and isinstance(annotation.slice, ast.Name):
        return annotation.slice.id
    return None


def problems_in(program, alias, members):
    tree = ast.parse(pathlib.Path(program).read_text(), program)
    problems = []
    made = {}  # variable -> the SDK class of what it holds
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            name = sdk_name(node.value.func, alias)
            if name in members and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                made[node.targets[0].id] = members[name]["returns"]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = sdk_name(node.func, alias)
            if name is None:
                continue
            if name not in members:
                problems.append(f"line {node.lineno}: {alias}.{name} is not in the SDK")
                continue
            for keyword in node.keywords:
                if keyword.arg not in members[name]["params"]:
                    problems.append(
                        f"line {node.lineno}: {alias}.{name} takes no argument {keyword.arg}"
                    )
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in made
        ):
            cls = made[node.value.id]
            if cls in members and node.attr not in members[cls]["properties"]:
                problems.append(f"line {node.lineno}: {cls} has no property {node.attr}")
    return problems


def sdk_name(func, alias):
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == alias:
        return func.attr
    return None


if __name__ == "__main__":
    package_dir, alias, program = sys.argv[1:]
    print(json.dumps(problems_in(program, alias, sdk_members(package_dir))))
