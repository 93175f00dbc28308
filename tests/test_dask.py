"""untangle on Dask: a real LocalCluster with two worker processes gives the serial result."""

from __future__ import annotations

import json
import math
import pickle
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from untangle import Repair, Restorer
from untangle.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fresh_process import modules_loaded  # noqa: E402 - a helper module next to the tests

pandas = pytest.importorskip("pandas")
dask_bag = pytest.importorskip("dask.bag")
dask_dataframe = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
RECORDS = 1_200
# Sentences written for these tests: spun ones (a WordNet spinner's artifacts) and clean ones.
SPUN = [
    "Helium said connected Friday that the squad volition unfastened the caller stadium successful May.",
    "The authorities said astatine a quality league that immoderate of the roads person been closed.",
    "Residents were told to enactment indoors due to the fact that the upwind was getting worse.",
    "She arrived successful the metropolis astatine midday and spoke to reporters arsenic soon arsenic she could.",
]
CLEAN = [
    "The library will stay open late on Thursdays during the exam season.",
    "Helium is lighter than air, which is why the balloon rose so quickly.",
    "A person at the front desk can answer questions about the present schedule.",
    "The subject of the lecture was the general history of the river trade.",
]


def generated_texts(count: int, seed: int = 7) -> list[str]:
    """`count` short texts of one to three sentences, about a third of them spun."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        pool = SPUN if rng.random() < 0.35 else CLEAN
        texts.append(" ".join(rng.choice(pool) for _ in range(rng.randint(1, 3))))
    return texts


@pytest.fixture(scope="module")
def client():  # noqa: ANN201
    from untangle.dask import cluster

    with cluster(workers=2) as client:
        client.wait_for_workers(2)
        yield client


def test_a_restorer_pickles_as_its_settings_and_repairs_lists_and_series() -> None:
    restorer = Restorer(threshold=0.8)
    assert len(pickle.dumps(restorer)) < 200
    assert pickle.loads(pickle.dumps(restorer)) == restorer
    repairs = restorer.repair([SPUN[0], CLEAN[0], None])
    assert isinstance(repairs[0], Repair)
    assert repairs[0].text.startswith("He said on Friday")
    assert repairs[0].changes >= 5 and repairs[0].spun_probability > 0.9
    assert repairs[1] == Repair(CLEAN[0], 0, repairs[1].spin_level, repairs[1].spun_probability)
    assert repairs[1].spun_probability < 0.5
    assert repairs[2].text is None and math.isnan(repairs[2].spin_level)
    series = pandas.Series([SPUN[1], float("nan"), CLEAN[1]], index=[10, 20, 30])
    frame = restorer.repair(series)
    assert list(frame.index) == [10, 20, 30]
    assert list(frame.columns) == ["text", "changes", "spin_level", "spun_probability"]
    assert frame.loc[10, "text"].startswith("The authorities said at a news conference")
    assert frame.loc[30, "text"] == CLEAN[1] and frame.loc[30, "changes"] == 0
    assert math.isnan(frame.loc[20, "spin_level"])
    with pytest.raises(TypeError, match="strings"):
        restorer.repair([42])


def test_a_bag_on_two_workers_equals_the_serial_result(client) -> None:  # noqa: ANN001
    from untangle.dask import repair_bag

    texts = generated_texts(RECORDS)
    restorer = Restorer()
    serial = restorer.repair(texts)
    assert sum(1 for r in serial if r.changes) > RECORDS // 4  # the records do exercise the engine
    bag = dask_bag.from_sequence(texts, npartitions=8)
    distributed_result = repair_bag(bag, restorer).compute()
    assert distributed_result == serial
    assert len(client.scheduler_info()["workers"]) == 2


def test_a_dataframe_column_on_two_workers_equals_the_serial_result(client) -> None:  # noqa: ANN001
    from untangle.dask import CHANGES, SPIN_LEVEL, SPUN_PROBABILITY, repair_column

    texts = generated_texts(RECORDS, seed=11)
    frame = pandas.DataFrame({"id": range(RECORDS), "text": texts, "site": ["a", "b", "c"] * (RECORDS // 3)})
    serial = Restorer().repair(frame["text"])
    repaired = repair_column(dask_dataframe.from_pandas(frame, npartitions=6), "text").compute()
    assert list(repaired.columns) == ["id", "text", "site", CHANGES, SPIN_LEVEL, SPUN_PROBABILITY]
    assert list(repaired["id"]) == list(range(RECORDS))
    assert list(repaired["site"]) == list(frame["site"])
    assert list(repaired["text"]) == list(serial["text"])
    assert list(repaired[CHANGES]) == list(serial["changes"])
    assert list(repaired[SPIN_LEVEL]) == list(serial["spin_level"])
    assert list(repaired[SPUN_PROBABILITY]) == list(serial["spun_probability"])
    spun = repaired["id"].map(lambda n: any(sentence in texts[n] for sentence in SPUN))
    assert (repaired[CHANGES][spun] > 0).all() and (repaired[SPUN_PROBABILITY][spun] > 0.9).all()
    # A lone clean "Helium is lighter than air" sentence still reads as spun (a known gap: too few
    # words to outweigh one artifact); nothing else in the clean records may change.
    assert (repaired["text"][~spun].str.replace("He is", "Helium is") == frame["text"][~spun]).all()
    with pytest.raises(KeyError, match="no column 'body'"):
        repair_column(dask_dataframe.from_pandas(frame, npartitions=2), "body")


def test_cli_jsonl_on_a_scheduler_equals_the_serial_run(client, tmp_path: Path) -> None:  # noqa: ANN001
    texts = generated_texts(RECORDS, seed=3)
    source = tmp_path / "crawl.jsonl"
    source.write_text("".join(json.dumps({"n": n, "text": t}) + "\n" for n, t in enumerate(texts)), encoding="utf-8")
    runner = CliRunner()
    serial = runner.invoke(main, ["fix", "--jsonl", "-j", "1", "-q", str(source)])
    address = client.scheduler.address
    spread = runner.invoke(main, ["fix", "--jsonl", "--scheduler", address, "-q", str(source)])
    assert serial.exit_code == spread.exit_code == 0
    assert spread.stdout == serial.stdout
    assert len(spread.stdout.splitlines()) == RECORDS
    assert spread.stdout != source.read_text(encoding="utf-8")


def test_cli_folder_on_a_local_cluster_equals_the_serial_run(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for n, text in enumerate(generated_texts(12, seed=5)):
        (folder / f"{n:02}.txt").write_text(text + "\n", encoding="utf-8")
    runner = CliRunner()
    one = runner.invoke(main, ["fix", "-j", "1", "-q", "-o", str(tmp_path / "one"), str(folder)])
    spread = runner.invoke(main, ["fix", "--dask", "-j", "2", "-q", "-o", str(tmp_path / "two"), str(folder)])
    assert one.exit_code == spread.exit_code == 0
    for path in sorted((tmp_path / "one").iterdir()):
        assert (tmp_path / "two" / path.name).read_bytes() == path.read_bytes()


def test_without_the_flags_nothing_about_dask_is_imported() -> None:
    record = '{"text": "Helium said so."}\n'
    assert modules_loaded(["fix", "--jsonl", "-q"], record, ["dask", "distributed", "pandas"]) == []


def test_a_clear_error_when_dask_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "untangle.dask", None)  # import fails as if not installed
    result = CliRunner().invoke(main, ["fix", "--jsonl", "--dask"], input="{}\n")
    assert result.exit_code == 2
    assert "pip install 'untangle[dask]'" in result.stderr
    both = CliRunner().invoke(main, ["fix", "--dask", "--scheduler", "tcp://x:1"], input="")
    assert both.exit_code == 2


def test_the_readme_example_runs_as_written(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = (ROOT / "examples" / "dask_pipeline.py").read_text(encoding="utf-8")
    block = re.search(r"```python\n(\"\"\"Repair a JSON Lines data set.*?)```", readme, re.S)
    assert block is not None and block.group(1) == script  # the README shows the tested file
    command = re.search(r"^    (python examples/dask_pipeline\.py .*)$", readme, re.M)
    assert command is not None
    arguments = command.group(1).split()[1:]
    arguments[-1] = str(tmp_path / "repaired")
    run = subprocess.run([sys.executable, *arguments], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    rows = [line.split() for line in run.stdout.splitlines()[1:]]
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    written = [json.loads(line) for part in sorted((tmp_path / "repaired").iterdir()) for line in part.open()]
    assert written[0]["text"].startswith("The council said on Monday")
    assert written[5]["text"].startswith("Helium is lighter than air")  # a clean science record stays
