"""Prints the unittest ids (module.Class.test_method) defined in the given files, one a line, read
from their syntax tree: listing needs neither the module built nor its imports."""
import ast
import pathlib
import sys

for path in map(pathlib.Path, sys.argv[1:]):
    tree = ast.parse(path.read_text(), str(path))
    for cls in tree.body:
        if isinstance(cls, ast.ClassDef):
            for fn in cls.body:
                if isinstance(fn, ast.FunctionDef) and fn.name.startswith("test"):
                    print(f"{path.stem}.{cls.name}.{fn.name}")
