"""A readable summary of a record for the terminal (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from onrecord.model import Record


def render_summary(record: Record, console: Console) -> None:
    info = record.document
    console.rule(escape(info.title or info.source or info.id))
    facts = [("source", info.source), ("published", info.published), ("outlet", info.outlet),
             ("author", info.author), ("language", info.language), ("id", info.id)]
    console.print("  ".join(f"[bold]{name}[/]: {escape(str(value))}" for name, value in facts if value))
    if record.entities:
        table = Table("entity", "type", "aliases", "roles", "mentions", title="Entities", title_justify="left")
        for entity in record.entities:
            table.add_row(escape(entity.name), entity.type, escape(", ".join(entity.aliases)),
                          escape("; ".join(entity.roles)), str(len(entity.mentions)))
        console.print(table)
    if record.attributions:
        names = {entity.id: entity.name for entity in record.entities}
        console.print("[bold]Attributions[/]")
        for attribution in record.attributions:
            speaker = attribution.speaker
            who = (names.get(speaker.entity) if speaker and speaker.entity else None) or (speaker.text if speaker else "—")
            cue = attribution.cue.text if attribution.cue else "—"
            via = " → ".join(names.get(e, e) for e in attribution.source_chain[1:])
            console.print(f"  [cyan]{escape(who)}[/] [dim]({escape(cue)}, {attribution.kind}, "
                          f"{attribution.factuality}{', via ' + escape(via) if via else ''})[/]")
            console.print(f"    {escape(_clip(attribution.content.text, 300))}")
    if record.events:
        names = {entity.id: entity.name for entity in record.entities}
        table = Table("type", "trigger", "actor", "target", "items", "where", "when", "factuality", "said by",
                      title="Events", title_justify="left")
        for event in record.events:
            def show(ids):
                return escape(", ".join(names.get(i, i) for i in ids))
            table.add_row(event.type + (f"/{event.mode}" if event.mode else ""), escape(event.trigger.text),
                          show(event.actor), show(event.target), show(event.items), show(event.location),
                          escape(event.time.text if event.time else ""), event.factuality,
                          show(event.attributed_to) or "outlet")
        console.print(table)
    for warning in record.warnings:
        console.print(f"[yellow]warning[/]: {escape(warning)}")


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
