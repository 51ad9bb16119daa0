"""Automatic extraction: a pipeline of registered components proposes facts from a document.

See kg/extraction/pipeline.yaml for the default pipeline and kg/extraction/components/ for
the components. The library entry points::

    from kg.extraction import ReferenceIndex, load_pipeline, run_pipeline
    result = run_pipeline(text, ReferenceIndex(reference), load_pipeline(), published="2025-04-12")
    result.candidates, result.mentions, result.entities
"""

from .model import Candidate, Entity, Mention, ReferenceIndex
from .pipeline import ExtractionResult, load_pipeline, run_pipeline
from .registry import REGISTRY, PipelineError, check_pipeline, component

__all__ = [
    "REGISTRY", "Candidate", "Entity", "ExtractionResult", "Mention", "PipelineError", "ReferenceIndex",
    "check_pipeline", "component", "load_pipeline", "run_pipeline",
]
