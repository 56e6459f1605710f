"""Set up the knowledge base (`python -m knowledge_base.build`); a no-op when up to date.

Steps, each skipped when its inputs have not changed: train the encoder (only ours,
never a model configured with KB_ENCODER_PATH), index the documents incrementally,
train the topic and section classifiers, calibrate the no-answer cuts for the resulting index.
"""

from __future__ import annotations

import argparse
import json
import sys

from knowledge_base.calibrate import THRESHOLD_FILE, calibrate, calibration_key, write_threshold
from knowledge_base.core.config import KBSettings, get_settings
from knowledge_base.ingest import ingest, read_manifest
from knowledge_base.search import Searcher
from knowledge_base.sections import ensure_section_classifier
from knowledge_base.topic import ensure_topic_classifier
from knowledge_base.train_encoder import TrainConfig, ensure_encoder


def _calibration_stale(settings: KBSettings, manifest: dict) -> bool:
    path = settings.index_dir / THRESHOLD_FILE
    return not path.is_file() or json.loads(path.read_text()).get("key") != calibration_key(settings, manifest)


def build(settings: KBSettings, config: TrainConfig = TrainConfig(), *, progress: bool = True) -> list[str]:
    """Run the stale steps; returns one line per step that did something."""
    done: list[str] = []
    trained = ensure_encoder(settings, config, progress=progress)
    if trained:
        done.append(f"encoder trained in {trained['seconds']} s ({trained['steps']} steps)")
    report = ingest(settings, progress=progress)
    if report.rebuilt:
        done.append(f"index rebuilt: {report.chunks} chunks, {len(report.embedded)} documents embedded")
    topic_texts = ensure_topic_classifier(settings)
    if topic_texts:
        done.append(f"topic classifier trained on {topic_texts} texts")
    section_questions = ensure_section_classifier(settings)
    if section_questions:
        done.append(f"section classifier trained on {section_questions} questions")
    manifest = read_manifest(settings.index_dir)
    if _calibration_stale(settings, manifest):
        calibration = calibrate(Searcher(settings), settings.questions_dir)
        write_threshold(settings, manifest, calibration)
        done.append(f"no-answer cuts: score {calibration.threshold}, topic {calibration.topic_threshold} "
                    f"(precision {calibration.precision}, "
                    f"recall {calibration.recall} on {calibration.answerable}+{calibration.offtopic} questions)")
    return done


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args(argv)
    settings = get_settings()
    done = build(settings)
    print("\n".join(done) if done else f"knowledge base up to date ({settings.index_dir})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
