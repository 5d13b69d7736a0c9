"""The Jinja environment templates run in: sandboxed, immutable, plain-data only, and on a budget.

A template is not fully trusted (a municipality's communicator may have edited it, or someone may
have sent it), so it gets no more than it needs to lay out our data:

- **Plain data only.** Attributes may be read on strings, numbers, lists, mappings, dates and Jinja's
  own loop helpers, and on nothing else. Our own values (rich text, labels, images) are opaque: the
  renderer turns them into XML, a template can only place them. So a context value can never lead
  a template to a file, a module or a live object.
- **Immutable.** Lists and mappings of the context cannot be changed (Jinja's immutable sandbox).
- **A budget** (:class:`RenderLimits`): every ``{% for %}`` iteration is counted, ``**`` and ``*``
  and ``+`` are checked before they run, sizing methods (``ljust``, ``zfill``, format widths) and
  the builtin filters are held to sane widths, the rendered XML has a maximum size, and the render
  has a time limit. Running out is :class:`BudgetExceeded`, which the renderer reports as HD505.
- **Errors with a place.** An exception raised while the template's code runs carries the template
  line it came from (:func:`template_line`), so the renderer can name the paragraph.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import LoopContext, Macro, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

from hallbardocs.content import Image, Label, Labels
from hallbardocs.richtext import RichText

__all__ = [
    "OPAQUE_TYPES",
    "PLAIN_TYPES",
    "BudgetExceeded",
    "RenderLimits",
    "budget",
    "current",
    "environment",
    "not_plain_data",
    "template_line",
]

PLAIN_TYPES: tuple[type, ...] = (str, int, float, bool, type(None), dict, list, tuple, dt.date, Decimal)
"""What a context may hold besides our opaque values; ``dt.date`` includes ``datetime``."""

OPAQUE_TYPES: tuple[type, ...] = (RichText, Labels, Label, Image)
"""Our own values: placed by a template, turned into XML by the renderer, never looked into."""

_ATTRIBUTES_ALLOWED_ON: tuple[type, ...] = (
    str,
    Markup,
    int,
    float,
    bool,
    dict,
    list,
    tuple,
    range,
    dt.date,
    dt.timedelta,
    Decimal,
    LoopContext,
    Namespace,
    Namespace,
    Cycler,
    Joiner,
    Macro,
    Undefined,
)
_ITERATION_FILTER = "hallbardocs:counted"
"""Every ``{% for %}`` iterates through this filter; no template can name it."""


@dataclass(frozen=True, slots=True)
class RenderLimits:
    """What one render may use. The defaults are ample for a plan of several thousand measures
    (2000 measures need about 50 000 loop iterations, 12 million characters of XML and 1–2 s)."""

    max_seconds: float = 120.0
    """Wall-clock time for the template's code."""
    max_iterations: int = 10_000_000
    """``{% for %}`` iterations, all loops of the render together."""
    max_output_chars: int = 100_000_000
    """Characters of rendered document XML (the 2000-measure plan is about 12 million)."""
    max_value_chars: int = 10_000_000
    """Length of one string or list a template builds (``*``, ``+``, ``~`` through a namespace)."""
    max_integer_bits: int = 4_096
    """Size of an integer that ``**`` or ``*`` may produce (about 1 200 digits)."""
    max_width: int = 100_000
    """A width or count handed to a sizing method or filter (``ljust``, ``center``, ``indent``, …)."""


DEFAULT_LIMITS = RenderLimits()


class BudgetExceeded(Exception):
    """The template ran out of one of its :class:`RenderLimits`; ``what`` says which, in Swedish."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(what)


class Budget:
    """The budget of the render in progress."""

    def __init__(self, limits: RenderLimits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds
        self.iterations = 0
        self.output = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(
                f"mallen tog mer än {self.limits.max_seconds:g} sekunder att fylla i (en loop som aldrig tar slut?)"
            )

    def iterate(self, items: Iterable[Any]) -> Iterator[Any]:
        limit = self.limits.max_iterations
        for item in items:
            self.iterations += 1
            if self.iterations & 0x3FF == 0:
                if self.iterations > limit:
                    raise BudgetExceeded(f"mallens loopar gick mer än {limit:,} varv".replace(",", "\u00a0"))
                self.check_time()
            yield item

    def add_output(self, size: int) -> None:
        self.output += size
        if self.output > self.limits.max_output_chars:
            mb = self.limits.max_output_chars // 1_000_000
            raise BudgetExceeded(f"dokumentet blev större än {mb}\u00a0miljoner tecken")

    def check_value(self, value: Any) -> Any:
        if isinstance(value, str | list | tuple | bytes) and len(value) > self.limits.max_value_chars:
            raise BudgetExceeded(
                f"mallen bygger en text eller lista med mer än {self.limits.max_value_chars:,} tecken".replace(
                    ",", "\u00a0"
                )
            )
        return value


_BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("hallbardocs_render_budget", default=None)
"""The budget of the render in progress (per thread and task)."""


def current() -> Budget:
    """The budget of the render in progress (a fresh default one outside a render)."""
    return _BUDGET.get() or Budget(DEFAULT_LIMITS)


class budget:
    """``with budget(limits):`` makes ``limits`` the budget of the render inside."""

    def __init__(self, limits: RenderLimits) -> None:
        self.budget = Budget(limits)
        self._token: contextvars.Token[Budget | None] | None = None

    def __enter__(self) -> Budget:
        self._token = _BUDGET.set(self.budget)
        return self.budget

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _BUDGET.reset(self._token)


def _size_of_product(a: Any, b: Any) -> int | None:
    """The length a sequence repetition would have, or ``None`` if it is no repetition."""
    if isinstance(a, str | list | tuple | bytes) and isinstance(b, int):
        return len(a) * max(b, 0)
    if isinstance(b, str | list | tuple | bytes) and isinstance(a, int):
        return len(b) * max(a, 0)
    return None


_SIZING_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs", "to_bytes"})


class _Method:
    """A method of a plain value, as a template sees it: it can be called, but not printed, so no
    template shows Python's insides (``<built-in method … at 0x…>``)."""

    __slots__ = ("function",)

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.function(*args, **kwargs)

    def __str__(self) -> str:
        raise NotAValue(self.function)

    __repr__ = __str__


def _method(value: Any) -> Any:
    if callable(value) and not isinstance(value, Undefined | Macro | type | _Method | Namespace):
        return _Method(value)
    return value


class _Cycler(Cycler):
    def __repr__(self) -> str:
        return "cycler"


class _Joiner(Joiner):
    def __repr__(self) -> str:
        return "joiner"


class _CountingCodeGenerator(CodeGenerator):
    """Jinja's code generator, with every ``{% for %}`` iterating through the budget."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for loop in node.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, _ITERATION_FILTER, [], [], None, None, lineno=loop.lineno)
            loop.iter.set_environment(self.environment)
        super().visit_Template(node, frame)


class _Environment(ImmutableSandboxedEnvironment):
    code_generator_class = _CountingCodeGenerator
    intercepted_binops = frozenset({"**", "*", "+"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return isinstance(obj, _ATTRIBUTES_ALLOWED_ON) and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        limits = current().limits
        if operator == "**":
            big = isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1
            if big and abs(left).bit_length() * right > limits.max_integer_bits:
                raise BudgetExceeded(f"talet {left}\u00a0**\u00a0{right} blir för stort")
            return current().check_value(super().call_binop(context, operator, left, right))
        if operator == "*":
            size = _size_of_product(left, right)
            if size is not None and size > limits.max_value_chars:
                raise BudgetExceeded(f"mallen upprepar en text eller lista till {size:,} tecken".replace(",", "\u00a0"))
            ints = isinstance(left, int) and isinstance(right, int)
            if ints and left.bit_length() + right.bit_length() > limits.max_integer_bits:
                raise BudgetExceeded("mallen multiplicerar till ett för stort tal")
        result = super().call_binop(context, operator, left, right)
        return current().check_value(result)

    def getattr(self, obj: Any, attribute: str) -> Any:
        return _method(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        return _method(super().getitem(obj, argument))

    def wrap_str_format(self, value: Any) -> Any:
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str):
            _check_format_widths(owner, current().limits)
        return super().wrap_str_format(value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(__obj, _Method):
            __obj = __obj.function
        spent = current()
        spent.check_time()
        limits = spent.limits
        name = getattr(__obj, "__name__", "")
        owner = getattr(__obj, "__self__", None)
        if name in _SIZING_METHODS and isinstance(owner, str | bytes | int):
            for arg in (*args, *kwargs.values()):
                if isinstance(arg, int) and arg > limits.max_width:
                    raise BudgetExceeded(f"mallen ber om en bredd på {arg} tecken")
        for arg in (*args, *kwargs.values()):
            spent.check_value(arg)
        return spent.check_value(super().call(__context, __obj, *args, **kwargs))


def _check_format_widths(pattern: str, limits: RenderLimits) -> None:
    for found in re.findall(r"(?:%[-+ #0]*|[:<>^=]|\.)(\d{4,})", pattern):
        if int(found) > limits.max_width:
            raise BudgetExceeded(f"mallen ber om en bredd på {found} tecken")


class _BoundedNamespace(Namespace):
    """``namespace()`` whose attributes cannot grow past the budget (``ns.s = ns.s ~ ns.s``)."""

    def __setitem__(self, name: str, value: Any) -> None:
        current().check_value(value)
        super().__setitem__(name, value)


def _bounded_range(*args: int) -> Iterable[int]:
    from jinja2.sandbox import safe_range

    return safe_range(*args)


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A Jinja filter held to the budget: no huge widths in, no huge values out."""

    first = 2 if hasattr(function, "jinja_pass_arg") else 1  # after the environment/context and the value

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        spent = current()
        limits = spent.limits
        for arg in (*args[first:], *kwargs.values()):
            if isinstance(arg, int) and not isinstance(arg, bool) and arg > limits.max_width:
                raise BudgetExceeded(f"filtret ”{name}” fick talet {arg}, som är för stort")
        value = args[first - 1] if len(args) >= first else None
        if name == "format" and isinstance(value, str):
            _check_format_widths(value, limits)
        return spent.check_value(function(*args, **kwargs))

    return bounded


def _counted(items: Any) -> Iterator[Any]:
    return current().iterate(items)


class NotAValue(Exception):
    """A template printed something that is no value: a function, or one of Jinja's helpers."""

    def __init__(self, value: Any) -> None:
        self.value = value.function if isinstance(value, _Method) else value
        super().__init__(type(value).__name__)


class FilterError(Exception):
    """One of our Swedish filters was given something it cannot format."""

    def __init__(self, name: str, value: Any, reason: str) -> None:
        self.filter = name
        self.value = value
        super().__init__(reason)


def _checked_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """One of our filters, whose failure names the filter and the value it was given."""

    @functools.wraps(function)
    def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, Undefined):
            return function(value, *args, **kwargs)  # StrictUndefined raises its own, clearer error
        try:
            return function(value, *args, **kwargs)
        except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
            raise FilterError(name, value, str(exc)) from None

    return checked


@functools.cache
def environment(finalize: Callable[[Any], Any] | None) -> Any:
    """The sandboxed environment, one per ``finalize`` hook, so compiled templates can be reused."""
    from jinja2 import StrictUndefined

    from hallbardocs.formatting import FILTERS

    env = _Environment(autoescape=True, undefined=StrictUndefined, finalize=finalize, keep_trailing_newline=True)
    for name, function in list(env.filters.items()):
        env.filters[name] = _bounded_filter(name, function)
    for name, function in FILTERS.items():
        env.filters[name] = _checked_filter(name, function)
    env.filters[_ITERATION_FILTER] = _counted
    env.globals.pop("lipsum", None)  # lorem ipsum has no place in an official document, and can be huge
    env.globals["range"] = _bounded_range
    env.globals["namespace"] = _BoundedNamespace
    env.globals["cycler"] = _Cycler
    env.globals["joiner"] = _Joiner
    return env


def template_line(exc: BaseException) -> int | None:
    """The line of the template's code where ``exc`` was raised (Jinja rewrites its tracebacks so
    that template frames carry template lines), or ``None``."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def not_plain_data(value: Any, path: str = "") -> list[str]:
    """The paths of every value in a context that is neither plain data nor one of our opaque values.

    >>> not_plain_data({"a": [1, "x", {"b": None}]})
    []
    >>> import pathlib
    >>> not_plain_data({"kommun": {"logotyp": pathlib.Path("/etc/passwd")}})
    ['kommun.logotyp']
    """
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            if not isinstance(key, str):
                found.append(f"{path}[{key!r}]")
            found.extend(not_plain_data(item, f"{path}.{key}" if path else key))
        return found
    if type(value) in (list, tuple):
        return [p for i, item in enumerate(value) for p in not_plain_data(item, f"{path}[{i}]")]
    if isinstance(value, OPAQUE_TYPES) or type(value) in PLAIN_TYPES or isinstance(value, dt.date):
        return []
    return [path]
