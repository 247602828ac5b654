"""heapwalk_scanner: dump a running CPython heap in meliae's line format.

A single pure-Python module (standard library only) for CPython 3.8 to 3.13.
Copy this file next to a service, then either::

    import heapwalk_scanner
    heapwalk_scanner.dump_all_objects('/tmp/x.json.gz')

or, once at start-up::

    heapwalk_scanner.install_signal_handler()   # then: kill -USR2 <pid>

Every line is one JSON object, keys in meliae's order::

    {"address": A, "type": "T", "size": S[, "name": "N"][, "len": L][, "value": V], "refs": [...]}

See README.md beside this file for exactly what is written and how it differs
from meliae.  Run ``python3 heapwalk_scanner.py --help`` for the command line.
"""

import gc
import io
import json
import os
import re
import signal
import sys
import time
from itertools import chain, compress
try:
    from _thread import get_ident as _get_ident
except ImportError:  # pragma: no cover
    from threading import get_ident as _get_ident

__all__ = ['dump_all_objects', 'install_signal_handler', 'capabilities']
__version__ = '1.0'

_PY = sys.version_info[:2]

# ---------------------------------------------------------------------------
# JSON string escaping, byte for byte as meliae's scanner writes it.
#
# meliae escapes every character below 0x20 or above 0x7e as \uXXXX (lower-case
# hex; characters above U+FFFF as a surrogate pair), and writes \\, \" and \/.
# json's ensure_ascii encoder does the same except that it uses the short
# forms \b \f \n \r \t and leaves "/" alone: fix those up afterwards.  The regex
# consumes an escaped backslash as one unit, so '\\n' (backslash, n) is safe.
# ---------------------------------------------------------------------------
try:
    from _json import encode_basestring_ascii as _json_ascii
except ImportError:  # pragma: no cover - pure-Python json fallback
    from json.encoder import encode_basestring_ascii as _json_ascii

_FIX_RE = re.compile(r'\\[bfnrt]|\\\\|/')
_FIX_MAP = {
    '\\b': '\\u0008', '\\f': '\\u000c', '\\n': '\\u000a', '\\r': '\\u000d',
    '\\t': '\\u0009', '\\\\': '\\\\', '/': '\\/',
}


def _fix_one(m, _map=_FIX_MAP):
    return _map[m.group()]


def _esc(s, _enc=_json_ascii, _sub=_FIX_RE.sub, _fix=_fix_one):
    """Return s (a str, already cut) as a quoted JSON string, meliae-style."""
    e = _enc(s)
    if '\\' in e:
        return _sub(_fix, e)
    if '/' in e:
        return e.replace('/', '\\/')
    return e


def _esc_cbytes(b):
    """Escape a C string (bytes) as meliae's _dump_json_c_string does.

    It cuts at 100 bytes and escapes byte by byte, so a non-ASCII UTF-8 name
    becomes one \\u00XX escape per byte (meliae does this for type and module
    names)."""
    return _esc(b[:100].decode('latin-1'))


def _esc_cname(s):
    """A str that meliae reads through its UTF-8 C form (tp_name, module name)."""
    return _esc_cbytes(s.encode('utf-8', 'surrogatepass'))


# ---------------------------------------------------------------------------
# Optional ctypes helpers, validated at import on this very interpreter.
#
# 1. tp_name: the exact C type name meliae writes for "type" ("weakref.
#    ReferenceType", "collections.OrderedDict", ...).  Without ctypes it is
#    rebuilt from __module__ and __name__ (right for all but a few heap types
#    created from C specs).
# 2. On 3.11+ an instance's attributes live in "inline values" (no __dict__
#    object until someone asks for obj.__dict__; asking creates one forever).
#    gc.get_referents() gives the values only.  To write the attribute names
#    without touching __dict__ we read the values array and the class's shared
#    keys (ht_cached_keys) directly.  Every layout assumption is checked on a
#    probe class at import; if anything is off, names are simply not written.
# ---------------------------------------------------------------------------
_MANAGED_DICT = 1 << 4
_INLINE_VALUES = 1 << 2      # 3.13+
_HEAPTYPE = 1 << 9

_caps = {'ctypes': False, 'tp_name': False, 'inline_names': False,
         'reason': ''}
_tp_name_raw = None          # type -> bytes, or None
_inline_reader = None        # (obj, type) -> (list of value ids, list of names) or None


def _setup_ctypes():
    global _tp_name_raw, _inline_reader
    if os.environ.get('HEAPWALK_SCANNER_NO_CTYPES'):
        _caps['reason'] = 'disabled by HEAPWALK_SCANNER_NO_CTYPES'
        return
    try:
        import ctypes
    except Exception as e:  # pragma: no cover - interpreter without ctypes
        _caps['reason'] = 'ctypes unavailable: %s' % (e,)
        return
    if sys.implementation.name != 'cpython':
        _caps['reason'] = 'not CPython'
        return
    _caps['ctypes'] = True
    P = ctypes.sizeof(ctypes.c_void_p)
    c_size_t = ctypes.c_size_t
    c_char_p = ctypes.c_char_p

    # -- tp_name: right after PyVarObject's ob_size -------------------------
    off_name = object.__basicsize__ + ctypes.sizeof(ctypes.c_ssize_t)

    def tp_name_raw(t, _from=c_char_p.from_address, _off=off_name):
        return _from(id(t) + _off).value

    class _HeapwalkProbe(object):
        pass
    try:
        import collections
        ok = (tp_name_raw(int) == b'int'
              and tp_name_raw(collections.OrderedDict) == b'collections.OrderedDict'
              and tp_name_raw(_HeapwalkProbe) == b'_HeapwalkProbe')
    except Exception:
        ok = False
    if ok:
        _tp_name_raw = tp_name_raw
        _caps['tp_name'] = True

    if _PY < (3, 11):
        _caps['reason'] = 'Python < 3.11: instances have a real __dict__'
        return

    # -- ht_cached_keys: find ht_name, ht_slots, ht_qualname in a probe type -
    _HeapwalkProbe.__qualname__ = '_HeapwalkProbe.q'
    rd = c_size_t.from_address
    base = id(_HeapwalkProbe)
    want_name = id(_HeapwalkProbe.__name__)
    want_qual = id(_HeapwalkProbe.__qualname__)
    off_keys = None
    for off in range(0, type.__basicsize__ - 3 * P, P):
        if rd(base + off).value == want_name and rd(base + off + 2 * P).value == want_qual:
            off_keys = off + 3 * P
            break
    if off_keys is None:
        _caps['reason'] = 'ht_cached_keys not found'
        return

    class _Keys(ctypes.Structure):
        _fields_ = [('dk_refcnt', ctypes.c_ssize_t),
                    ('dk_log2_size', ctypes.c_uint8),
                    ('dk_log2_index_bytes', ctypes.c_uint8),
                    ('dk_kind', ctypes.c_uint8),
                    ('dk_version', ctypes.c_uint32),
                    ('dk_usable', ctypes.c_ssize_t),
                    ('dk_nentries', ctypes.c_ssize_t)]
    keys_from = _Keys.from_address
    indices_off = ctypes.sizeof(_Keys)
    py_object = ctypes.py_object
    cast = ctypes.cast
    arr_types = {}

    def read_words(addr, n):
        at = arr_types.get(n)
        if at is None:
            at = arr_types[n] = c_size_t * n
        return at.from_address(addr)[:]

    def type_keys(t, cache):
        """Per dump and per type: [keys struct, nentries seen, names, address]."""
        c = cache.get(t)
        if c is None:
            ka = rd(id(t) + off_keys).value
            k = keys_from(ka) if ka else None
            if k is None or k.dk_kind != 2:   # DICT_KEYS_SPLIT: (key, value) entries
                c = cache[t] = False
            else:
                c = cache[t] = [k, -1, None, ka]
        return c

    if _PY == (3, 11):
        def values_of(o, n):
            va = rd(id(o) - 4 * P).value
            return read_words(va, n) if va else None
    elif _PY == (3, 12):
        def values_of(o, n):
            dv = rd(id(o) - 3 * P).value
            if not dv & 1:
                return None
            return read_words(dv + 1, n)
    elif _PY == (3, 13):
        hdr = object.__basicsize__
        u8x4 = ctypes.c_uint8 * 4

        def values_of(o, n):
            a = id(o) + hdr
            cap, _size, _emb, valid = u8x4.from_address(a)[:]
            if not valid:
                return None
            return read_words(a + P, min(cap, n))
    else:
        _caps['reason'] = 'inline-values layout unknown for Python %d.%d' % _PY
        return

    def inline_reader(o, t, cache):
        """(value ids, name strs) of o's inline attributes in index order, or
        None.  `cache` is a dict owned by one dump."""
        c = type_keys(t, cache)
        if not c:
            return None
        k = c[0]
        n = k.dk_nentries
        if n != c[1]:
            ent = c[3] + indices_off + (1 << k.dk_log2_index_bytes)
            ptrs = read_words(ent, 2 * n)[0::2] if n > 0 else []
            c[2] = [cast(x, py_object).value if x else None for x in ptrs]
            c[1] = n
        if n <= 0:
            return None
        vals = values_of(o, n)
        if vals is None:
            return None
        vids = [v for v in vals if v]
        if not vids:
            return None
        names = c[2] if len(vids) == n else list(compress(c[2], vals))
        if len(names) != len(vids) or None in names:
            return None
        return vids, names

    # -- validate on probe instances -----------------------------------------
    try:
        class _HeapwalkAttrs(object):
            pass
        a, b, c, d = object(), object(), object(), object()
        p1 = _HeapwalkAttrs()
        p1.alpha = a
        p1.beta = b
        p1.gamma = c
        p2 = _HeapwalkAttrs()
        p2.beta = d
        p3 = _HeapwalkAttrs()
        p3.alpha = a
        p3.gamma = c
        p3.delta = d
        del p3.gamma
        # Check the raw key pointers before ever turning one into an object.
        tk = type_keys(_HeapwalkAttrs, {})
        ok = bool(tk) and tk[0].dk_nentries == 4
        if ok:
            ent = tk[3] + indices_off + (1 << tk[0].dk_log2_index_bytes)
            ok = read_words(ent, 8)[0::2] == [id('alpha'), id('beta'), id('gamma'), id('delta')]
        for obj, exp in ((p1, [(a, 'alpha'), (b, 'beta'), (c, 'gamma')]),
                         (p2, [(d, 'beta')]),
                         (p3, [(a, 'alpha'), (d, 'delta')])):
            if not ok:
                break
            r = inline_reader(obj, _HeapwalkAttrs, {})
            if r is None or r[0] != [id(x) for x, _ in exp] or \
                    [str(nm) for nm in r[1]] != [nm for _, nm in exp]:
                ok = False
            refs = gc.get_referents(obj)
            if [id(x) for x in refs] != [id(x) for x, _ in exp] + [id(_HeapwalkAttrs)]:
                ok = False
        del p1, p2, p3
    except Exception as e:  # pragma: no cover - layout surprise
        ok = False
        _caps['reason'] = 'probe failed: %r' % (e,)
    if ok:
        _inline_reader = inline_reader
        _caps['inline_names'] = True
        _caps['reason'] = ''
    elif not _caps['reason']:
        _caps['reason'] = 'probe instances did not read back as expected'


try:
    _setup_ctypes()
except Exception as _e:  # pragma: no cover - never let import fail
    _tp_name_raw = None
    _inline_reader = None
    _caps['reason'] = 'setup failed: %r' % (_e,)


def capabilities():
    """What this interpreter supports: a dict (see README.md)."""
    d = dict(_caps)
    d['python'] = '%d.%d.%d' % sys.version_info[:3]
    return d


# ---------------------------------------------------------------------------
# Per-type classification
# ---------------------------------------------------------------------------
(K_OTHER, K_STR, K_BYTES, K_BOOL, K_INT, K_TUPLE, K_LIST, K_SET, K_FSET,
 K_DICT, K_DICTSUB, K_FRAME, K_MODULE, K_FUNC, K_TYPE) = range(15)

_FrameType = type(sys._getframe())
_FunctionType = type(_esc)
_ModuleType = type(sys)
_mod_dict = _ModuleType.__dict__['__dict__'].__get__
_type_name = type.__dict__['__name__'].__get__
_type_module = type.__dict__['__module__'].__get__
_type_flags = type.__dict__['__flags__'].__get__
_type_basicsize = type.__dict__['__basicsize__'].__get__


def _tp_name(t):
    """The C tp_name of type t, as a str (not escaped)."""
    if _tp_name_raw is not None:
        try:
            raw = _tp_name_raw(t)
            if raw is not None:
                return raw.decode('utf-8', 'surrogateescape')
        except Exception:
            pass
    try:
        name = _type_name(t)
        if _type_flags(t) & _HEAPTYPE:
            return name
        mod = _type_module(t)
        if isinstance(mod, str) and mod != 'builtins':
            return mod + '.' + name
        return name
    except Exception:
        return '?'


def _esc_tp_name(t):
    if _tp_name_raw is not None:
        try:
            raw = _tp_name_raw(t)
            if raw is not None:
                return _esc_cbytes(raw)
        except Exception:
            pass
    return _esc_cname(_tp_name(t))


def _classify(t):
    """(line prefix after the address, kind, has-inline-attributes) for type t."""
    pre = ', "type": %s, "size": ' % (_esc_tp_name(t),)
    sub = type.__subclasscheck__
    if t is str or sub(str, t):
        k = K_STR
    elif t is bytes or sub(bytes, t):
        k = K_BYTES
    elif t is bool:
        k = K_BOOL
    elif t is int:
        k = K_INT
    elif sub(tuple, t):
        k = K_TUPLE
    elif sub(list, t):
        k = K_LIST
    elif sub(set, t):
        k = K_SET
    elif sub(frozenset, t):
        k = K_FSET
    elif t is dict:
        k = K_DICT
    elif sub(dict, t):
        k = K_DICTSUB
    elif t is _FrameType:
        k = K_FRAME
    elif sub(_ModuleType, t):
        k = K_MODULE
    elif t is _FunctionType:
        k = K_FUNC
    elif sub(type, t):
        k = K_TYPE
    else:
        k = K_OTHER
    inline = False
    if _inline_reader is not None:
        try:
            fl = _type_flags(t)
            inline = bool(fl & _MANAGED_DICT and fl & _HEAPTYPE and
                          (_PY < (3, 13) or fl & _INLINE_VALUES))
        except Exception:
            inline = False
    return pre, k, inline


def _splice_inline(o, t, refs, cache):
    """(refs with each inline attribute value followed by its name, the
    number of named attributes when the pairs end right before the type,
    which is the last ref: the layout heapwalk reads through "len"; else 0)."""
    try:
        r = _inline_reader(o, t, cache)
    except Exception:
        return refs, 0
    if r is None:
        return refs, 0
    vids, names = r
    k = len(vids)
    n = len(refs)
    # Usual layout (subtype_traverse): [slot values..., attr values..., type, base refs...]
    p = n - k - 1
    if not (p >= 0 and refs[p + k] is t and list(map(id, refs[p:p + k])) == vids):
        p = -1
        first = vids[0]
        for cand in range(0, n - k + 1):
            if id(refs[cand]) == first and list(map(id, refs[cand:cand + k])) == vids:
                p = cand
                break
        if p < 0:
            return refs, 0
    out = refs[:p]
    out.extend(chain.from_iterable(zip(refs[p:p + k], names)))
    out.extend(refs[p + k:])
    return out, (k if p + k == n - 1 else 0)


def _dict_pairs(d):
    """[v1, k1, v2, k2, ...] for a dict (any subclass), base-dict order."""
    return list(chain.from_iterable(zip(dict.values(d), dict.keys(d))))


def _dictsub_refs(o, refs):
    """A dict subclass: its own referents (default_factory, __dict__, ...)
    first, as the interpreter visits them, then the [value, key] pairs."""
    n = dict.__len__(o)
    try:
        pairs = _dict_pairs(o)
    except RuntimeError:
        return refs
    if not n:
        return refs
    m = len(refs)
    if m >= 2 * n and all(a is b for a, b in zip(refs[m - 2 * n:], pairs)):
        head = refs[:m - 2 * n]
    elif m >= n and all(a is b for a, b in zip(refs[m - n:], pairs[0::2])):
        head = refs[:m - n]
    else:
        head = refs   # unknown layout: keep everything, then the pairs
    head.extend(pairs)
    return head


# ---------------------------------------------------------------------------
# The dump
# ---------------------------------------------------------------------------
_INT_MIN = -(1 << 63)
_INT_MAX = (1 << 63) - 1
_CHUNK = 4096          # lines per write


class _Sink(object):
    """Buffers lines and writes them in chunks as ASCII bytes (or str)."""

    def __init__(self, f):
        self.f = f
        self.text = isinstance(f, io.TextIOBase)
        self.buf = []
        self.nbytes = 0

    def flush(self):
        if not self.buf:
            return
        s = ''.join(self.buf)
        self.buf.clear()
        self.nbytes += len(s)
        if self.text:
            self.f.write(s)
            return
        b = s.encode('ascii')
        try:
            self.f.write(b)
        except TypeError:
            self.text = True
            self.f.write(s)


def _walk(sink, stack, seen, frames=None):
    """Dump every object reachable from `stack`, once.  Returns the count.
    frames: {id(frame): (local pairs, file, line)} for the frames on thread
    stacks (see _thread_lines)."""
    pop = stack.pop
    push_all = stack.extend
    seen_add = seen.add
    buf = sink.buf
    out = buf.append
    flush = sink.flush
    getsizeof = sys.getsizeof
    get_referents = gc.get_referents
    tcache = {}
    icache = {}
    classify = _classify
    esc = _esc
    dict_pairs = _dict_pairs
    splice = _splice_inline
    imin, imax = _INT_MIN, _INT_MAX
    str_len = str.__len__
    str_cut = str.__getitem__
    bytes_len = bytes.__len__
    bytes_cut = bytes.__getitem__
    cut = slice(None, 100)
    tuple_len = tuple.__len__
    list_len = list.__len__
    set_len = set.__len__
    fset_len = frozenset.__len__
    dict_len = dict.__len__
    mod_dict = _mod_dict
    chunk = _CHUNK
    frames = frames or {}
    count = 0
    seen_add(id(tcache))
    seen_add(id(icache))
    while stack:
        o = pop()
        i = id(o)
        if i in seen:
            continue
        seen_add(i)
        t = type(o)
        ti = tcache.get(t)
        if ti is None:
            ti = tcache[t] = classify(t)
        pre, k, inline = ti
        tail = ''
        try:
            size = getsizeof(o)
        except Exception:                 # a broken __sizeof__
            size = _type_basicsize(t)
        extra = ''
        if k == K_DICT:
            try:
                refs = dict_pairs(o)
            except RuntimeError:          # changed size under us (threads)
                refs = get_referents(o)
            extra = ', "len": %d' % dict_len(o)
        else:
            refs = get_referents(o)
            if k == K_OTHER:
                pass
            elif k == K_STR:
                if t is str:
                    extra = ', "len": %d, "value": %s' % (len(o), esc(o[:100]))
                else:
                    extra = ', "len": %d, "value": %s' % (
                        str_len(o), esc(str_cut(o, cut)))
            elif k == K_TUPLE:
                extra = ', "len": %d' % tuple_len(o)
            elif k == K_INT:
                if imin <= o <= imax:
                    extra = ', "value": %d' % o
            elif k == K_TYPE:
                extra = ', "name": ' + _esc_tp_name(o)
            elif k == K_FUNC:
                try:
                    nm = o.__name__
                    extra = ', "name": ' + esc(nm[:100] if type(nm) is str else '')
                except Exception:
                    pass
            elif k == K_LIST:
                extra = ', "len": %d' % list_len(o)
            elif k == K_BYTES:
                extra = ', "len": %d, "value": %s' % (
                    bytes_len(o), esc(bytes_cut(o, cut).decode('latin-1')))
            elif k == K_SET:
                extra = ', "len": %d' % set_len(o)
            elif k == K_FSET:
                extra = ', "len": %d' % fset_len(o)
            elif k == K_DICTSUB:
                refs = _dictsub_refs(o, refs)
                extra = ', "len": %d' % dict_len(o)
            elif k == K_MODULE:
                try:
                    nm = mod_dict(o).get('__name__')
                    if type(nm) is str:
                        extra = ', "name": ' + _esc_cname(nm)
                except Exception:
                    pass
            elif k == K_BOOL:
                extra = ', "value": "True"' if o else ', "value": "False"'
            elif k == K_FRAME:
                try:
                    extra = ', "value": ' + esc(o.f_code.co_name[:100])
                except Exception:
                    pass
                fi = frames.get(i)
                if fi is not None:        # on a thread's stack: locals by name
                    pairs, file, line = fi
                    refs = pairs + refs
                    extra = ', "len": %d%s' % (len(pairs) // 2, extra)
                    tail = ', "file": %s, "line": %d' % (esc(file[:1000]), line)
            if inline and refs:
                refs, named = splice(o, t, refs, icache)
                if named and not extra:
                    extra = ', "len": %d' % named
        if refs:
            out('{"address": %d%s%d%s, "refs": [%s]%s}\n' % (
                i, pre, size, extra, ', '.join(map(str, map(id, refs))), tail))
            push_all(refs)
        else:
            out('{"address": %d%s%d%s, "refs": []%s}\n' % (i, pre, size, extra, tail))
        count += 1
        if len(buf) >= chunk:
            flush()
    flush()
    return count


_active = []           # non-empty while a dump runs (the signal handler checks it)
_MAX_STACK = 10000


def _thread_lines(out, esc=_esc):
    """One line per thread (but this one) and its stack, the thread's roots:

        {"address": IDENT, "type": "thread", "size": 0, "name": "worker-1", "refs": [top frame, ..., outermost]}

    IDENT is threading.get_ident() (a pthread_t: the address of a C struct,
    never a Python object's).  Returns ({id(frame): (local pairs, file,
    line)} for _walk, the frames), or ({}, []) when the interpreter cannot say."""
    try:
        current = sys._current_frames()
    except Exception:
        return {}, []
    names = {}
    th = sys.modules.get('threading')    # never imported here
    if th is not None:
        try:
            for t in list(th._active.values()):
                names[t.ident] = t.name
        except Exception:
            pass
    me = _get_ident()
    info = {}
    roots = []
    for ident, f in current.items():
        if ident == me:
            continue
        stack = []
        while f is not None and len(stack) < _MAX_STACK:
            stack.append(f)
            try:
                pairs = []
                # f_locals: 3.8 to 3.12 fill the frame's own locals dict (it
                # stays); 3.13 gives a proxy (nothing stays).  See README.md.
                for name, value in list(f.f_locals.items()):
                    if type(name) is str:
                        pairs.append(value)
                        pairs.append(name)
                info[id(f)] = (pairs, f.f_code.co_filename, f.f_lineno or 0)
            except Exception:
                pass
            f = f.f_back
        name = names.get(ident)
        out('{"address": %d, "type": "thread", "size": 0%s, "refs": [%s]}\n' % (
            ident, ', "name": ' + esc(name[:100]) if type(name) is str else '',
            ', '.join(map(str, map(id, stack)))))
        roots.extend(stack)
    return info, roots


def _dump_to(f):
    """Dump the whole heap to the open file f.  Returns the object count."""
    was_enabled = gc.isenabled()
    gc.disable()       # no collection (and no finalizers) while we walk
    _active.append(1)
    try:
        objs = gc.get_objects()
        seen = set()
        sink = _Sink(f)
        # Scanner-internal objects made after the snapshot are never dumped
        # (see README: only a materialised frame of this module can refer to
        # them).  The output file objects are ordinary heap objects: dumped.
        for x in (objs, seen, sink, sink.buf):
            seen.add(id(x))
        frames, stacks = _thread_lines(sink.buf.append)
        nthreads = len(sink.buf)
        objs.reverse()     # pop() then walks gc.get_objects() from its start
        objs.extend(stacks)
        n = _walk(sink, objs, seen, frames) + nthreads
        del stacks[:]
        frames.clear()
        del objs[:]
        return n
    finally:
        _active.pop()
        if was_enabled:
            gc.enable()


def _open_gzip(raw):
    import gzip
    return gzip.GzipFile(filename='', mode='wb', fileobj=raw, compresslevel=6, mtime=0)


def _dump_path(path):
    path = os.fspath(path)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    gz = path.endswith('.gz')
    # Special files (FIFO, /dev/stdout, ...): write in place, no rename.
    if os.path.exists(path) and not os.path.isfile(path):
        with open(path, 'wb') as raw:
            if gz:
                with _open_gzip(raw) as z:
                    return _dump_to(z)
            return _dump_to(raw)
    d, base = os.path.split(os.path.abspath(path))
    tmp = os.path.join(d, '.%s.partial-%d' % (base, os.getpid()))
    try:
        with open(tmp, 'wb') as raw:
            if gz:
                with _open_gzip(raw) as z:
                    n = _dump_to(z)
            else:
                n = _dump_to(raw)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return n


def dump_all_objects(path_or_file):
    """Write every object of this interpreter in meliae's line format.

    path_or_file: a path (str, bytes or os.PathLike; gzip-compressed when it
    ends in '.gz'; written to a hidden temporary name in the same directory and
    renamed when complete) or an open file (binary or text; not closed, not
    compressed by us).  Returns the number of objects written.
    """
    if isinstance(path_or_file, (str, bytes)) or hasattr(path_or_file, '__fspath__'):
        return _dump_path(path_or_file)
    if not hasattr(path_or_file, 'write'):
        raise TypeError('dump_all_objects() needs a path or a file, not %r'
                        % (type(path_or_file).__name__,))
    return _dump_to(path_or_file)


# ---------------------------------------------------------------------------
# Signal handler
# ---------------------------------------------------------------------------
_DEFAULT_SIGNAL = getattr(signal, 'SIGUSR2', None)
_DEFAULT_PATTERN = '/tmp/heapwalk-{pid}-{time}.json.gz'


def _expand(pattern):
    now = time.time()
    path = pattern.format(pid=os.getpid(), time=int(now),
                          timestamp=time.strftime('%Y%m%dT%H%M%S', time.localtime(now)))
    if not os.path.exists(path):
        return path
    # Never overwrite an earlier dump (two signals within one second).
    root, ext = path, ''
    for e in ('.json.gz', '.json', '.gz'):
        if path.endswith(e):
            root, ext = path[:-len(e)], e
            break
    n = 1
    while os.path.exists('%s-%d%s' % (root, n, ext)):
        n += 1
    return '%s-%d%s' % (root, n, ext)


def install_signal_handler(signum=_DEFAULT_SIGNAL, path_pattern=_DEFAULT_PATTERN):
    """On signal `signum`, dump the heap to path_pattern.

    path_pattern is formatted with {pid} (os.getpid()), {time} (integer Unix
    seconds) and {timestamp} (local YYYYmmddTHHMMSS).  The dump is gzipped
    when the name ends in '.gz', written to a hidden '.NAME.partial-PID' file
    in the same directory, and renamed to NAME only once complete.  A signal
    arriving while a dump runs is ignored.  Must be called from the main
    thread.  Returns the previous handler (as signal.signal does).
    """
    if signum is None:
        raise ValueError('this platform has no SIGUSR2: pass signum')

    def _heapwalk_dump_handler(sig, frame):
        if _active:        # a dump is already running in this thread: ignore
            return
        try:
            path = _expand(path_pattern)
            t0 = time.time()
            n = dump_all_objects(path)
            sys.stderr.write('heapwalk_scanner: %d objects written to %s in %.1f s\n'
                             % (n, path, time.time() - t0))
        except Exception as e:
            sys.stderr.write('heapwalk_scanner: dump failed: %r\n' % (e,))

    return signal.signal(signum, _heapwalk_dump_handler)


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------
USAGE = """\
usage: python3 heapwalk_scanner.py --demo OUT    (or: python3 -m heapwalk_scanner ...)
       python3 heapwalk_scanner.py --info
       python3 heapwalk_scanner.py -h | --help

Dump a CPython heap in meliae's format for heapwalk (CPython 3.8 to 3.13,
standard library only).

  --demo OUT   build a few objects (a leak-like list of Record instances,
               dicts, escaped strings), then dump this interpreter to OUT
               (gzip when OUT ends in .gz) and print what was written.
  --info       print what this interpreter supports (tp_name, 3.11+
               attribute names) as JSON.

In your own program (copy this file next to it):
  import heapwalk_scanner
  heapwalk_scanner.dump_all_objects('/tmp/x.json.gz')
  heapwalk_scanner.install_signal_handler()   # then: kill -USR2 PID
                                              # -> /tmp/heapwalk-PID-TIME.json.gz
Then: heapwalk /tmp/x.json.gz
"""


class Record(object):
    """Demo class (the --demo leak is made of these)."""

    def __init__(self, n):
        self.id = n
        self.name = 'record-%d' % n
        self.payload = {'n': n, 'tags': ['a', 'b']}


def _demo(out):
    leak = []
    for n in range(2000):
        leak.append(Record(n))
    escapes = ['a/b', 'caf\xe9', 'snow \u2603 man', 'smile \U0001F600!',
               'tab\there\nnewline\x01\x7f', 'x' * 250, b'\x00\x01\x7f\x80\xff"\\/']
    mapping = {1: 'one', (2, 3): 'pair', 'k': 'v'}
    t0 = time.time()
    n = dump_all_objects(out)
    dt = time.time() - t0
    sys.stdout.write('%d objects written to %s in %.2f s (%d bytes)\n'
                     % (n, out, dt, os.path.getsize(out)))
    return leak, escapes, mapping


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ('-h', '--help'):
        sys.stdout.write(USAGE)
        return 0 if argv else 2
    if argv[0] == '--info' and len(argv) == 1:
        sys.stdout.write(json.dumps(capabilities(), sort_keys=True) + '\n')
        return 0
    if argv[0] == '--demo' and len(argv) == 2:
        _demo(argv[1])
        return 0
    sys.stderr.write(USAGE)
    return 2


if __name__ == '__main__':
    sys.exit(main())
