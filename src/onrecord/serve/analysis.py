"""Analyse one pasted article on request: one at a time, bounded in time, nothing stored."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from onrecord.errors import AnalysisTimeout
from onrecord.model import Record
from onrecord.serve.errors import ApiError
from onrecord.serve.schemas import AnalyzeRequest


def default_analyzer():
    from onrecord.analyse.pipeline import Analyzer

    return Analyzer.default()


class OnDemandAnalysis:
    """Runs the Analyzer in a worker thread. Only one analysis runs at once (the model is shared
    and the machine small); a second request waits its turn within the same time bound."""

    def __init__(self, timeout_s: float, analyzer_factory: Callable = default_analyzer) -> None:
        self.timeout_s = timeout_s
        self.analyzer_factory = analyzer_factory
        self._one_at_a_time = asyncio.Semaphore(1)

    def _analyse(self, request: AnalyzeRequest) -> Record:
        metadata = {
            key: value for key, value in (("title", request.title), ("published", request.published)) if value
        }
        return self.analyzer_factory().analyze_text(request.text, html=request.format == "html", **metadata)

    async def run(self, request: AnalyzeRequest) -> Record:
        try:
            async with asyncio.timeout(self.timeout_s):
                async with self._one_at_a_time:
                    return await asyncio.to_thread(self._analyse, request)
        except TimeoutError:
            raise AnalysisTimeout(limit=self.timeout_s) from None
        except RecursionError:
            raise ApiError(422, "E107", "the input nests too deeply to be read") from None
