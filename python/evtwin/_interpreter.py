"""The interpreter this build of evtwin is for: the one CMake found when it was built (Debian's
/usr/bin/python3, whose numpy and pandas the project installs). Another interpreter first on the
PATH may lack them, or the compiled module's ABI: the error then names both interpreters."""
import os
import sys

from ._built_for import INTERPRETER


def explained(error: ImportError, executable: str = sys.executable) -> ImportError:
    """`error` as it is under the interpreter the build is for; under another, an ImportError that
    says which interpreter to use."""
    if os.path.realpath(executable) == os.path.realpath(INTERPRETER):
        return error
    return ImportError(
        f"evtwin was built for {INTERPRETER}, but this is {executable}, which cannot import it "
        f"({error}): run it with {INTERPRETER}")
