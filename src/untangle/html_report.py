"""One self-contained HTML page for reviewing the changes to many files (`untangle diff --format html`).

The page has a sortable summary with a chart, a strip per file showing where the spun paragraphs and
the changes are, and every changed sentence with its old words struck and new ones marked. It reads
without JavaScript; the inline script only adds the filters. Every piece of input text is escaped,
and the page's Content-Security-Policy lets only its own inline style and script (by hash) run, so
markup or script in a spun page shows as text and never runs. Rendering only consumes results.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from untangle.render import sentence_span
from untangle.result import GUESS, HELD_BACK, Change, Result
from untangle.verdict import SpunStretch, stretches

SPUN = 0.5  # a file is counted as spun at this spun probability, as `untangle check` calls it
SURE, LIKELY = 0.9, 0.7  # confidence bands, coloured apart
EXCERPT = 300  # characters of a sentence kept on each side of its changes
ALTERNATIVE_EXCERPT = 60  # the same, in the copy of a sentence that shows an alternative
STRIP_WIDTH = 1000  # the strip's coordinate width (it is scaled to the page)
_NEWLINE = re.compile("\n")


@dataclass(frozen=True, slots=True)
class _Shown:
    """One suggestion as the page shows it, and whether fix applies it."""

    change: Change
    applied: bool


@dataclass(slots=True)
class _Row:
    """One sentence shown with some of its suggestions (none overlapping), as ready HTML."""

    line: int
    html: str
    alternative: bool = False  # a copy of a sentence for a suggestion overlapping another


@dataclass(slots=True)
class _File:
    """What the page needs of one file: its figures, its strip and its sentences (not its text)."""

    path: str
    index: int
    length: int = 0
    spun_probability: float = 0.0
    spin_level: float = 0.0
    applied: int = 0
    held_back: int = 0
    spans: list[tuple[int, int, float]] = field(default_factory=list)  # spun paragraphs
    stretches: tuple[SpunStretch, ...] = ()  # runs of spun paragraphs: where, how sure, how spun
    partly_spun: bool = False  # some paragraphs spun, others not
    ticks: dict[str, list[int]] = field(default_factory=dict)  # strip position of each suggestion, by kind
    rows: list[_Row] = field(default_factory=list)
    failure: str = ""  # why the file could not be read, if it could not


class HtmlReport:
    """Collects files' results one at a time, then renders the whole page.

    >>> page = HtmlReport()
    >>> page.add("a.txt", "Helium said so.", Result("He said so.", (Change(0, 6, "Helium", "He", 0.95, "why"),)))
    >>> page.render().count('class="change')
    1
    """

    def __init__(self, threshold: float = 0.7, title: str = "untangle report") -> None:
        self.threshold = threshold
        self.title = title
        self.files: list[_File] = []

    def add(self, path: str, source: str, result: Result) -> None:
        """Add one file's result; only what the page shows of `source` is kept."""
        entry = _File(path, len(self.files), len(source), result.spun_probability, result.spin_level)
        entry.applied, entry.held_back = len(result.changes), len(result.held_back)
        entry.spans = [(p.start, p.end, p.spun_probability) for p in result.paragraphs if p.spun_probability >= SPUN]
        entry.stretches = stretches(source, result, SPUN)
        entry.partly_spun = 0 < sum(s.paragraphs for s in entry.stretches) < len(result.paragraphs)
        shown = sorted(
            [_Shown(c, True) for c in result.changes] + [_Shown(c, False) for c in result.held_back],
            key=lambda item: (item.change.start, not item.applied),
        )
        scale = STRIP_WIDTH / max(1, len(source))
        for item in shown:
            kind = _band(item.change.confidence) if item.applied else "held"
            kind = "guess" if item.applied and item.change.tier == GUESS else kind
            entry.ticks.setdefault(kind, []).append(round(item.change.start * scale))
        lines = [0] + [match.end() for match in _NEWLINE.finditer(source)]  # where each line starts
        entry.rows = _rows(source, shown, lines)
        self.files.append(entry)

    def add_failure(self, path: str, message: str) -> None:
        """Add a file that could not be read or repaired, with the reason."""
        self.files.append(_File(path, len(self.files), failure=message or "could not be read"))

    def render(self) -> str:
        """The whole page, as one string."""
        policy = (
            "default-src 'none'; img-src data:; "
            f"style-src '{_digest(_STYLE)}'; script-src '{_digest(_SCRIPT)}'; form-action 'none'; base-uri 'none'"
        )
        read = [f for f in self.files if not f.failure]
        spun = sum(f.spun_probability >= SPUN for f in read)
        applied = sum(f.applied for f in read)
        held = sum(f.held_back for f in read)
        failed = len(self.files) - len(read)
        parts = [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{escape(self.title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n",
            f"<header><h1>{escape(self.title)}</h1>\n",
            '<p class="totals">',
            f"<b>{len(read)}</b> file{'s' if len(read) != 1 else ''} scanned, ",
            f"<b>{spun}</b> spun, <b>{applied}</b> change{'s' if applied != 1 else ''} applied, ",
            f"<b>{held}</b> held back (below {self.threshold:.2f} confidence)",
            f", <b>{failed}</b> not read" if failed else "",
            "</p>\n",
            _legend(),
            "</header>\n",
            _controls(applied + held),
            "<main>\n",
            _summary(self.files),
            '<h2 id="files">Files</h2>\n',
            *(_file_section(entry) for entry in self.files),
            "</main>\n",
            f"<script>{_SCRIPT}</script>\n</body>\n</html>\n",
        ]
        return "".join(parts)


def escape(text: str) -> str:
    """Text made safe inside an element or a double-quoted attribute (& < > and " escaped; the
    apostrophe, common in reasons, is left as it is: no attribute here is single-quoted)."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def _digest(text: str) -> str:
    """The CSP source expression allowing exactly this inline style or script."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _band(confidence: float) -> str:
    """The CSS class of a confidence band: sure, likely, or doubtful."""
    return "sure" if confidence >= SURE else "likely" if confidence >= LIKELY else "doubtful"


def _rows(source: str, shown: Sequence[_Shown], lines: list[int]) -> list[_Row]:
    """The sentences holding `shown`, applied changes and held-back suggestions together. Another
    suggestion for exactly the words of one already placed follows it ("or ..."); one that
    overlaps others otherwise (a phrase across two words) gets another copy of the sentence,
    marked as an alternative."""
    groups: list[tuple[int, int, list[_Shown]]] = []
    for item in shown:  # in text order, applied before held back at the same place
        left, right = sentence_span(source, item.change.start, item.change.end)
        if groups and left < groups[-1][1]:
            start, end, members = groups[-1]
            groups[-1] = (start, max(end, right), [*members, item])
        else:
            groups.append((left, right, [item]))
    rows = []
    for left, right, members in groups:
        layers: list[list[_Shown]] = []
        same: dict[tuple[int, int], list[_Shown]] = {}  # a placed suggestion's span -> the others for it
        for item in sorted(members, key=lambda m: not m.applied):  # the applied ones all in the first copy
            span = (item.change.start, item.change.end)
            if span in same:
                same[span].append(item)
                continue
            layer = next((lay for lay in layers if not any(_overlap(item.change, o.change) for o in lay)), None)
            if layer is None:
                layers.append([item])
            else:
                layer.append(item)
            same[span] = []
        applied = [item.change for item in members if item.applied]
        for number, layer in enumerate(layers):
            layer.sort(key=lambda m: m.change.start)
            line = bisect_right(lines, layer[0].change.start)
            around = ALTERNATIVE_EXCERPT if number else EXCERPT
            rows.append(_Row(line, _sentence(source, left, right, layer, same, applied, around), number > 0))
    return rows


def _overlap(one: Change, other: Change) -> bool:
    return one.start < other.end and other.start < one.end


def _sentence(
    source: str,
    left: int,
    right: int,
    layer: Sequence[_Shown],
    others: dict[tuple[int, int], list[_Shown]],
    applied: Sequence[Change],
    around: int,
) -> str:
    """A sentence as HTML: the text escaped, each suggestion an element carrying its data, and (in
    an alternative's copy) each applied change that does not touch them as its new words."""
    first, last = layer[0].change.start, layer[-1].change.end
    lo, hi = max(left, first - around), min(right, last + around)
    if lo > left:  # start and end an excerpt at a word boundary
        space = source.find(" ", lo, first)
        lo = space + 1 if space >= 0 else first
    if hi < right:
        space = source.rfind(" ", last, hi)
        hi = space if space >= 0 else last
    marks = [
        (
            item.change.start,
            item.change.end,
            _change(item)
            + "".join(_change(other, instead=True) for other in others[item.change.start, item.change.end]),
        )
        for item in layer
    ]
    for change in applied:
        if lo <= change.start and change.end <= hi and not any(_overlap(change, item.change) for item in layer):
            marks.append((change.start, change.end, f'<span class="fixed">{escape(change.new)}</span>'))
    marks.sort(key=lambda mark: mark[0])
    pieces = ["…" if lo > left else ""]
    position = lo
    for start, end, markup in marks:
        pieces.append(escape(source[position:start]))
        pieces.append(markup)
        position = end
    pieces.append(escape(source[position:hi]))
    pieces.append("…" if hi < right else "")
    return "".join(pieces)


def _change(item: _Shown, instead: bool = False) -> str:
    """One suggestion: old struck, new marked; its confidence, relation and reason in its title
    (shown on hover, and by the script on keyboard focus). A filter that hides it leaves the old
    word as plain text. `instead`: another suggestion for the words just shown, "or" its new words."""
    change = item.change
    guess = item.applied and change.tier == GUESS
    # The reason already names the relation and the confidence; say only what it does not.
    facts = "".join(
        note
        for note, wanted in (
            ("held back; ", not item.applied),
            ("best guess: the word as written is unlikely here; ", guess),
            (f"{change.family} family; ", change.family != "builtin"),
            (f"{change.scorer} scorer; ", change.scorer != "trigram"),
        )
        if wanted
    )
    return (
        f'<span class="change {_band(change.confidence)}{"" if item.applied else " held"}{" guess" if guess else ""}'
        f'{" or" if instead else ""}" data-old="{escape(change.old)}" data-new="{escape(change.new)}"'
        f' data-confidence="{round(change.confidence, 4)}" data-applied="{"true" if item.applied else "false"}"'
        f' data-tier="{escape(change.tier if item.applied else HELD_BACK)}"'
        f' title="{escape(facts + change.reason)}">{"" if instead else f"<del>{escape(change.old)}</del>"}'
        f"<ins>{escape(change.new)}</ins></span>"
    )


def _legend() -> str:
    return (
        '<p class="legend">Confidence: <span class="key sure">90% or more</span> '
        '<span class="key likely">70 to 90%</span> <span class="key doubtful">below 70%</span>; '
        '<span class="key held">dashed: held back, not applied</span>; '
        '<span class="key guess">dotted, with "?": a best guess, applied where the word as written is unlikely'
        " but no original is sure</span>. "
        "Hover over a change (or tab to it) for its reason.</p>\n"
    )


def _controls(total: int) -> str:
    """The filters; hidden until the script runs, since without it they could do nothing."""
    return (
        '<form id="controls" hidden>\n'
        '<label>Confidence at least <input type="range" id="min-confidence" min="0" max="1" step="0.01"'
        ' value="0"> <output id="min-confidence-value">0.00</output></label>\n'
        '<label><input type="checkbox" id="show-held" checked> held-back suggestions</label>\n'
        '<label><input type="checkbox" id="show-guesses" checked> best guesses</label>\n'
        '<label>File <input type="search" id="file-filter" placeholder="part of a path"></label>\n'
        '<label>Word <input type="search" id="word-filter" placeholder="old or new word"></label>\n'
        f'<span id="shown-count" aria-live="polite">{total} of {total} suggestions shown</span>\n'
        "</form>\n"
    )


def _summary(files: Sequence[_File]) -> str:
    """The chart and the sortable table of files."""
    rows = []
    for entry in files:
        anchor = f"f{entry.index}"
        if entry.failure:
            rows.append(
                f'<tr class="file-row" data-path="{escape(entry.path)}"><td data-sort="{escape(entry.path)}">'
                f'<a href="#{anchor}">{escape(entry.path)}</a></td><td data-sort="-1" colspan="5">'
                f"not read: {escape(entry.failure)}</td></tr>\n"
            )
            continue
        verdict = "spun" if entry.spun_probability >= SPUN else "clean"
        rows.append(
            f'<tr class="file-row {verdict}" data-path="{escape(entry.path)}">'
            f'<td data-sort="{escape(entry.path)}"><a href="#{anchor}">{escape(entry.path)}</a></td>'
            f'<td data-sort="{entry.spun_probability:.4f}">{verdict}</td>'
            f'<td data-sort="{entry.spun_probability:.4f}" class="num">{entry.spun_probability:.2f}</td>'
            f'<td data-sort="{entry.spin_level:.4f}" class="num">{entry.spin_level:.2f}</td>'
            f'<td data-sort="{entry.applied}" class="num">{entry.applied}</td>'
            f'<td data-sort="{entry.held_back}" class="num">{entry.held_back}</td></tr>\n'
        )
    headers = "".join(
        f'<th scope="col" data-type="{kind}"><button type="button">{name}</button></th>'
        for name, kind in (
            ("File", "text"),
            ("Verdict", "number"),
            ("Spun probability", "number"),
            ("Spin level", "number"),
            ("Changes", "number"),
            ("Held back", "number"),
        )
    )
    return (
        '<section class="summary"><h2>Summary</h2>\n'
        + _chart([f for f in files if not f.failure])
        + f'<table id="file-table"><thead><tr>{headers}</tr></thead>\n<tbody>\n{"".join(rows)}</tbody></table>\n'
        "</section>\n"
    )


def _chart(files: Sequence[_File]) -> str:
    """An inline SVG histogram: how many files fall in each tenth of spun probability."""
    bins = [0] * 10
    for entry in files:
        bins[min(9, int(entry.spun_probability * 10))] += 1
    top = max(bins) or 1
    bars = []
    for number, count in enumerate(bins):
        height = 90 * count / top
        x = 30 + number * 40
        label = f"{number / 10:.1f} to {(number + 1) / 10:.1f}: {count} file{'s' if count != 1 else ''}"
        bars.append(
            f'<g><title>{label}</title><rect x="{x}" y="{110 - height:.1f}" width="34" height="{height:.1f}"'
            f' class="bar{" spun" if number >= 5 else ""}"/>'
            f'<text x="{x + 17}" y="{106 - height:.1f}" text-anchor="middle">{count}</text></g>'
        )
    ticks = "".join(
        f'<text x="{30 + n * 40}" y="126" text-anchor="middle">{n / 10:.1f}</text>' for n in range(0, 11, 2)
    )
    return (
        '<figure class="chart"><svg viewBox="0 0 440 140" width="440" height="140" role="img"'
        ' aria-labelledby="chart-title"><title id="chart-title">Files by spun probability</title>'
        f'<line x1="28" y1="110" x2="432" y2="110" class="axis"/>{"".join(bars)}{ticks}</svg>'
        "<figcaption>Files by spun probability (0 clean, 1 spun)</figcaption></figure>\n"
    )


def _strip(entry: _File) -> str:
    """Where in the file the spun paragraphs (shaded) and the suggestions (ticks) are."""
    if entry.length == 0:
        return ""
    scale = STRIP_WIDTH / entry.length
    parts = [
        f'<svg class="strip" viewBox="0 0 {STRIP_WIDTH} 20" preserveAspectRatio="none" role="img"'
        f' aria-label="where the spun paragraphs and changes are"><rect x="0" y="0" width="{STRIP_WIDTH}"'
        ' height="20" class="track"/>'
    ]
    for start, end, probability in entry.spans:
        parts.append(
            f'<rect x="{start * scale:.1f}" y="0" width="{max(1.0, (end - start) * scale):.1f}" height="20"'
            f' class="spun-span" fill-opacity="{0.25 + 0.5 * probability:.2f}"><title>spun paragraph,'
            f" probability {probability:.2f}</title></rect>"
        )
    for kind, positions in entry.ticks.items():
        path = "".join(f"M{x} 3h3v14h-3z" for x in positions)
        parts.append(f'<path d="{path}" class="tick {kind}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _stretches(entry: _File) -> str:
    """The spun stretches of a partly spun file (which lines, how sure, how much swapped); a file
    spun throughout, or clean, has one stretch or none and its facts line says it all."""
    if not entry.partly_spun:
        return ""
    items = "".join(f"<li>spun: {escape(stretch.describe())}</li>" for stretch in entry.stretches)
    return f'<ul class="stretches">{items}</ul>\n'


def _file_section(entry: _File) -> str:
    head = (
        f'<section class="file" id="f{entry.index}" data-path="{escape(entry.path)}"'
        f' data-spun-probability="{entry.spun_probability:.4f}">\n<h3>{escape(entry.path)}</h3>\n'
    )
    if entry.failure:
        return head + f'<p class="failure">Not read: {escape(entry.failure)}</p>\n</section>\n'
    verdict = "spun" if entry.spun_probability >= SPUN else "clean"
    facts = (
        f'<p class="facts">{verdict}: spun probability {entry.spun_probability:.2f}, spin level'
        f" {entry.spin_level:.2f}; {entry.applied} change{'s' if entry.applied != 1 else ''} applied,"
        f" {entry.held_back} held back</p>\n"
    )
    body = [head, facts, _strip(entry), "\n", _stretches(entry)]
    if entry.rows:
        items = "".join(
            f'<li class="sentence{" alternative" if row.alternative else ""}"><span class="line">line {row.line}'
            f"{', alternative' if row.alternative else ''}</span> {row.html}</li>\n"
            for row in entry.rows
        )
        digits = len(str(len(entry.rows)))  # the list's numbers need room: "10." must not lose its "1"
        body.append(f'<ol class="w{digits}">\n{items}</ol>\n' if digits > 1 else f"<ol>\n{items}</ol>\n")
    else:
        body.append('<p class="nothing">Nothing to change.</p>\n')
    body.append("</section>\n")
    return "".join(body)


_STYLE = """
:root{--fg:#1d1d1f;--bg:#fff;--muted:#5f6368;--line:#d9dce1;--sure:#1a7f37;--likely:#9a6700;
--doubtful:#b42318;--held:#6e40c9;--guess:#0b6bcb;--spun:#f0883e;--track:#eef0f3}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--bg:#16181c;--muted:#a0a4ab;--line:#343840;
--sure:#4ac26b;--likely:#d4a72c;--doubtful:#ff7b72;--held:#b392f0;--guess:#6cb6ff;--track:#262a31}}
body{font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;
max-width:72rem;padding:0 1rem 4rem}
h1{font-size:1.5rem;margin:1rem 0 .25rem}h2{font-size:1.2rem;margin-top:1.5rem}
h3{font-size:1.05rem;margin:0;word-break:break-all}h4{font-size:.9rem;margin:.6rem 0 .2rem;color:var(--muted)}
.totals{margin:.25rem 0}.legend{color:var(--muted);margin:.25rem 0}
.key{font-weight:600}.key.sure{color:var(--sure)}.key.likely{color:var(--likely)}.key.doubtful{color:var(--doubtful)}
.key.held{color:var(--held)}.key.guess{color:var(--guess)}
#controls{position:sticky;top:0;z-index:2;background:var(--bg);border-bottom:1px solid var(--line);
padding:.5rem 0;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center}
#controls[hidden]{display:none}#shown-count{color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid var(--line);padding:.2rem .5rem;text-align:left}
th button{font:inherit;font-weight:600;background:none;border:0;color:inherit;cursor:pointer;padding:0}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.spun td:nth-child(2){color:var(--spun);font-weight:600}
.chart{margin:0 0 1rem}.chart text{font-size:10px;fill:var(--muted)}.bar{fill:var(--muted)}.bar.spun{fill:var(--spun)}
.axis{stroke:var(--line)}
.file{border-top:1px solid var(--line);padding:.75rem 0;content-visibility:auto;contain-intrinsic-size:auto 240px}
.facts{margin:.2rem 0;color:var(--muted)}
.stretches{margin:.2rem 0 .4rem;padding-left:1.2rem;color:var(--muted)}
.strip{width:100%;height:20px;display:block}.track{fill:var(--track)}.spun-span{fill:var(--spun)}
.tick.sure{fill:var(--sure)}.tick.likely{fill:var(--likely)}.tick.doubtful{fill:var(--doubtful)}
.tick.held{fill:var(--held);fill-opacity:.6}.tick.guess{fill:var(--guess)}
ol{padding-left:3ch;margin:.2rem 0}ol.w2{padding-left:4ch}ol.w3{padding-left:5ch}ol.w4{padding-left:6ch}
ol.w5{padding-left:7ch}ol.w6{padding-left:8ch}ol.w7{padding-left:9ch}
li.sentence{margin:.25rem 0}.line{color:var(--muted);font-size:.8rem}
.change{position:relative;border-radius:3px;padding:0 2px;outline-offset:1px}
.change del{color:var(--muted)}.change ins{text-decoration:none;font-weight:600;margin-left:.2em}
.change.sure ins{color:var(--sure)}.change.likely ins{color:var(--likely)}.change.doubtful ins{color:var(--doubtful)}
.change.held{border:1px dashed var(--held)}.change.guess{border-bottom:2px dotted var(--guess)}
.change.guess ins{color:var(--guess)}.change.guess ins::after{content:"?";font-weight:400;color:var(--guess)}
.fixed{text-decoration:underline dotted var(--muted)}
li.alternative .line{color:var(--held)}.change.or::before{content:"or ";color:var(--muted)}
#tip{position:absolute;z-index:3;max-width:30rem;background:var(--bg);color:var(--fg);
border:1px solid var(--line);border-radius:4px;padding:.3rem .5rem;font-size:.8rem;box-shadow:0 2px 8px rgba(0,0,0,.2)}
.change.off{border-color:transparent;padding:0}.change.off ins{display:none}
.change.off del{text-decoration:none;color:inherit}
.failure{color:var(--doubtful)}.nothing{color:var(--muted);margin:.2rem 0}
[hidden]{display:none!important}
"""

_SCRIPT = """
(function(){
"use strict";
var form=document.getElementById("controls");form.hidden=false;
var slider=document.getElementById("min-confidence"),shown=document.getElementById("min-confidence-value"),
held=document.getElementById("show-held"),guesses=document.getElementById("show-guesses"),byFile=document.getElementById("file-filter"),
byWord=document.getElementById("word-filter"),count=document.getElementById("shown-count");
var rows={};document.querySelectorAll("tr.file-row").forEach(function(r){rows[r.dataset.path]=r;});
var files=Array.prototype.map.call(document.querySelectorAll("section.file"),function(file){
  return {el:file,path:file.dataset.path.toLowerCase(),row:rows[file.dataset.path],
    sentences:Array.prototype.map.call(file.querySelectorAll("li.sentence"),function(li){
      return {el:li,changes:Array.prototype.map.call(li.querySelectorAll(".change"),function(c){
        return {el:c,confidence:parseFloat(c.dataset.confidence),applied:c.dataset.applied==="true",
          guess:c.dataset.tier==="guess",
          old:c.dataset.old.toLowerCase(),new:c.dataset.new.toLowerCase()};})};})};});
function update(){
  var min=parseFloat(slider.value),withHeld=held.checked,withGuesses=guesses.checked,
  f=byFile.value.trim().toLowerCase(),
  w=byWord.value.trim().toLowerCase(),visible=0,total=0;
  shown.textContent=min.toFixed(2);
  files.forEach(function(file){
    var pathOk=file.path.indexOf(f)>=0,inFile=0;
    file.sentences.forEach(function(sentence){
      var inSentence=0;
      sentence.changes.forEach(function(c){
        total++;
        var ok=pathOk&&c.confidence>=min&&(withHeld||c.applied)&&(withGuesses||!c.guess)
          &&(!w||c.old.indexOf(w)>=0||c.new.indexOf(w)>=0);
        if(c.el.classList.contains("off")===ok){c.el.classList.toggle("off",!ok);}
        if(ok){inSentence++;}
      });
      if(sentence.el.hidden!==(inSentence===0)){sentence.el.hidden=inSentence===0;}
      inFile+=inSentence;
    });
    visible+=inFile;
    var hide=!pathOk||(w!==""&&inFile===0);
    if(file.el.hidden!==hide){file.el.hidden=hide;if(file.row){file.row.hidden=hide;}}
  });
  count.textContent=visible+" of "+total+" suggestions shown";
}
var tip=document.createElement("div");tip.id="tip";tip.setAttribute("role","tooltip");tip.hidden=true;
document.body.appendChild(tip);
files.forEach(function(file){file.sentences.forEach(function(s){s.changes.forEach(function(c){c.el.tabIndex=0;});});});
document.addEventListener("focusin",function(event){
  var c=event.target.closest?event.target.closest(".change"):null;
  if(!c){tip.hidden=true;return;}
  var box=c.getBoundingClientRect();tip.textContent=c.title;tip.hidden=false;
  var left=Math.max(0,Math.min(box.left,document.documentElement.clientWidth-tip.offsetWidth-8));
  tip.style.left=(left+window.scrollX)+"px";tip.style.top=(box.bottom+window.scrollY+4)+"px";
});
document.addEventListener("focusout",function(){tip.hidden=true;});
[slider,byFile,byWord].forEach(function(el){el.addEventListener("input",update);});
held.addEventListener("change",update);guesses.addEventListener("change",update);
var table=document.getElementById("file-table");
table.querySelectorAll("th").forEach(function(th,col){
  th.querySelector("button").addEventListener("click",function(){
    var down=th.getAttribute("aria-sort")!=="descending",numeric=th.dataset.type==="number";
    table.querySelectorAll("th").forEach(function(h){h.removeAttribute("aria-sort");});
    th.setAttribute("aria-sort",down?"descending":"ascending");
    var body=table.tBodies[0],list=Array.prototype.slice.call(body.rows);
    list.sort(function(a,b){
      var x=a.cells[Math.min(col,a.cells.length-1)].dataset.sort,y=b.cells[Math.min(col,b.cells.length-1)].dataset.sort;
      var d=numeric?parseFloat(x)-parseFloat(y):x.localeCompare(y);return down?-d:d;});
    list.forEach(function(r){body.appendChild(r);});
  });
});
update();
})();
"""
