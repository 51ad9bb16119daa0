"""The review of what extraction proposed: list, show, decide, undo, rebuild (the library behind ``kg review``).

A :class:`Review` works on one project folder. Every decision

- takes the project lock (:func:`kg.corpus.lock.project_lock`), so that two decisions racing
  on one file (two tabs, two reviewers, ``kg add`` at the same time) are applied one after
  the other and neither is lost;
- finds its fact by a fingerprint of its content (:func:`kg.review.files.fingerprint`), not by
  its place alone: a fact moved by another decision is still found, a fact changed meanwhile
  is refused rather than decided blind;
- writes each changed file at once and atomically, in the round-trip YAML of
  :mod:`kg.review.files` (comments and order kept), then loads the whole corpus as ``kg build``
  would; a change the loaders refuse is rolled back and reported.

Accepting a fact sets ``status: accepted`` and keeps ``method: extracted``, its ``rule`` and
``confidence``: the build then marks its evidence ``imp:reviewStatus imp:ReviewerAccepted``.
Rejecting deletes it from the file. An entity proposal is accepted into
``ontology/reference/`` (:mod:`kg.review.reference`), or merged into an existing entity, which
gains its names as aliases while facts and mentions naming it are re-keyed.

Each document keeps a stack of the decisions taken on it in this process; :meth:`Review.undo`
reverts the last one in the files too.
"""

from __future__ import annotations

import copy
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus.documents import DOCUMENT_SUFFIX, load_document
from ..corpus.facts import FACTS_SUFFIX
from ..corpus.ingest import slugify
from ..corpus.factkinds import COMMON_FIELDS, ENUMS, KINDS
from ..corpus.lock import project_lock
from ..corpus.mentions import CLASSES, MENTIONS_SUFFIX
from ..errors import KgError, ReviewError
from ..project import Project
from .files import dump_yaml, fingerprint, inside, load_yaml, plain, write_atomically

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: The category a new entity created during an edit belongs to, by the field's value type.
_CREATABLE = {"key:actor": "actor", "key:issue": "issue", "key:place": "place", "key:leverage-kind": "leverage-kind"}
_DEFAULT_CLASS = {"actor": "Organization", "issue": "Issue", "place": "Place", "leverage-kind": "LeverageKind"}


@dataclass
class _Decision:
    """What undoing a decision needs: the fact before it and the files it changed besides."""

    slug: str
    action: str
    index: int = -1
    before: object = None  # the round-trip fact as it was (None: an entity decision)
    after: str | None = None  # fingerprint of the fact as the decision left it (None: removed)
    files: dict[Path, tuple[str | None, str]] = field(default_factory=dict)  # path -> (before, after) text
    what: str = ""


class Review:
    """The review of a project's proposals.

    :param root: the project folder (with ``ontology/`` and ``corpus/``).
    :param lock_timeout: seconds a decision waits for another writer before it is refused.
    :raises ProjectError: when the folder is no project (nothing would be there to review).
    """

    def __init__(self, root: str | Path, *, lock_timeout: float = 30.0):
        self.root = Project(Path(root).resolve()).require().root
        self.corpus = self.root / "corpus"
        self.reference_dir = self.root / "ontology" / "reference"
        self.lock_timeout = lock_timeout
        self._undo: dict[str, list[_Decision]] = {}
        self._guard = threading.Lock()  # the undo stacks; the files are guarded by the project lock
        self._reference_cache: tuple[tuple, object] | None = None

    # -- reading ---------------------------------------------------------------------------
    def _path(self, slug: str, suffix: str) -> Path:
        if not isinstance(slug, str) or not _SLUG.match(slug):
            raise ReviewError(f"{slug!r} is not the slug of a document (lower-case letters, digits and '-')")
        return inside(self.root, self.corpus / f"{slug}{suffix}")

    def _document(self, slug: str):
        path = self._path(slug, DOCUMENT_SUFFIX)
        if not path.is_file():
            raise ReviewError(f"{path}: no such document in the corpus")
        return load_document(path)

    def reference(self):
        """The project's reference data (read again only when a file of it changed)."""
        from ..corpus.reference import load_reference

        stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in self._files(self.reference_dir, ".ttl"))
        if self._reference_cache is None or self._reference_cache[0] != stamp:
            self._reference_cache = (stamp, load_reference(self.reference_dir))
        return self._reference_cache[1]

    def _files(self, folder: Path, suffix: str) -> list[Path]:
        """The files of ``folder`` ending in ``suffix``, each checked to lie inside the project."""
        return [inside(self.root, path) for path in sorted(folder.glob(f"*{suffix}"))]

    def _mention_files(self) -> list[Path]:
        return self._files(self.corpus, MENTIONS_SUFFIX)

    def _minted(self) -> dict[tuple[str, str], dict]:
        """Every proposed entity of the corpus's mentions files: (category, key) -> its entry."""
        found: dict[tuple[str, str], dict] = {}
        for path in self._mention_files():
            data = load_yaml(path) or {}
            for entry in data.get("entities") or []:
                found.setdefault((str(entry["category"]), str(entry["key"])), plain(entry))
        return found

    def catalog(self) -> dict[str, list[dict]]:
        """What a field may name, per category: reference entities and minted ones, with their
        names (for search as you type); ``event`` lists the rounds and events of the corpus."""
        reference = self.reference()
        listing: dict[str, list[dict]] = {category: [] for category in reference.keys}
        for category, keys in reference.keys.items():
            for key, iri in sorted(keys.items()):
                listing[category].append({"key": key, "label": reference.labels[iri],
                                          "aliases": [a for a in reference.aliases(iri) if a != reference.labels[iri]]})
        for (category, key), entry in sorted(self._minted().items()):
            if key not in reference.keys.get(category, {}):
                listing.setdefault(category, []).append({"key": key, "label": entry["label"],
                                                         "aliases": entry.get("aliases", []), "proposed": True})
        events = []
        for path in self._files(self.corpus, FACTS_SUFFIX):
            for fact in (load_yaml(path) or {}).get("facts") or []:
                if isinstance(fact, dict) and fact.get("kind") in ("round", "event") and "key" in fact:
                    events.append({"key": str(fact["key"]), "label": str(fact.get("label", fact["key"]))})
        listing["event"] = sorted({e["key"]: e for e in events}.values(), key=lambda e: e["key"])
        return listing

    def documents(self) -> list[dict]:
        """The documents with proposals: slug, title, open proposals (facts and entities), facts decided."""
        rows = []
        for path in self._files(self.corpus, DOCUMENT_SUFFIX):
            slug = path.name.removesuffix(DOCUMENT_SUFFIX)
            facts_path, mentions_path = self._path(slug, FACTS_SUFFIX), self._path(slug, MENTIONS_SUFFIX)
            facts = (load_yaml(facts_path) or {}).get("facts") or [] if facts_path.is_file() else []
            entities = (load_yaml(mentions_path) or {}).get("entities") or [] if mentions_path.is_file() else []
            extracted = [f for f in facts if isinstance(f, dict) and f.get("method") == "extracted"]
            if not extracted and not entities:
                continue
            open_facts = sum(1 for f in extracted if f.get("status") == "proposed")
            open_entities = sum(1 for e in entities if e.get("status", "proposed") == "proposed")
            rows.append({"slug": slug, "title": load_document(path).title, "open": open_facts + open_entities,
                         "open_facts": open_facts, "open_entities": open_entities,
                         "accepted": sum(1 for f in extracted if f.get("status", "accepted") == "accepted")})
        return rows

    def state(self, slug: str) -> dict:
        """One document for the page: its text, its facts and entity proposals, its mentions.

        Offsets count code points of the document text, as the facts loader's do.
        """
        document = self._document(slug)
        text = document.text
        reference = self.reference()
        minted = self._minted()

        def label(category: str, key: str) -> str:
            iri = reference.keys.get(category, {}).get(key)
            if iri is not None:
                return reference.labels[iri]
            return str(minted.get((category, key), {}).get("label", key))

        items = []
        facts_path = self._path(slug, FACTS_SUFFIX)
        data = load_yaml(facts_path) if facts_path.is_file() else None
        for index, fact in enumerate((data or {}).get("facts") or []):
            values = plain(fact)
            quotes = [values["quote"]] if "quote" in values else [e.get("quote", "") for e in values.get("evidence", [])]
            spans = [[text.find(q), text.find(q) + len(q)] for q in quotes if q and text.find(q) >= 0]
            spec = KINDS.get(values.get("kind"))
            names = {}
            for f in spec.fields if spec else ():
                if f.type.startswith("key:") and f.name in values:
                    category = f.type[4:]
                    for key in values[f.name] if isinstance(values[f.name], list) else [values[f.name]]:
                        names[str(key)] = label(category, str(key)) if category in reference.keys else str(key)
            items.append({"type": "fact", "index": index, "id": fingerprint(fact), "fact": values,
                          "status": values.get("status", "accepted"), "method": values.get("method", "curated"),
                          "spans": spans, "names": names})
        mentions = []
        mentions_path = self._path(slug, MENTIONS_SUFFIX)
        if mentions_path.is_file():
            mdata = load_yaml(mentions_path) or {}
            for entry in mdata.get("mentions") or []:
                start, surface, category, key = entry[0], str(entry[1]), str(entry[2]), str(entry[3])
                mentions.append({"start": int(start), "end": int(start) + len(surface), "category": category,
                                 "key": key, "label": label(category, key)})
            for entry in mdata.get("entities") or []:
                values = plain(entry)
                key, category = values["key"], values["category"]
                values.setdefault("status", "proposed")
                items.append({"type": "entity", "id": f"{category}/{key}", "entity": values,
                              "status": values["status"], "spans": [[m["start"], m["end"]] for m in mentions
                                                                    if m["category"] == category and m["key"] == key]})
        with self._guard:
            undo = [d.what for d in self._undo.get(slug, [])]
        return {"slug": slug, "title": document.title, "publisher": document.publisher, "date": document.date,
                "text": text, "items": items, "mentions": mentions, "undo": undo[-1] if undo else None}

    @staticmethod
    def schema() -> dict:
        """The kinds of fact and their fields, for the edit form."""
        kinds = {name: [{"name": f.name, "type": f.type, "many": f.many, "required": f.required} for f in kind.fields]
                 for name, kind in KINDS.items()}
        return {"kinds": kinds, "enums": {name: list(choices) for name, choices in ENUMS.items()},
                "classes": {category: list(classes) for category, classes in CLASSES.items()},
                "creatable": _CREATABLE}

    # -- writing ---------------------------------------------------------------------------
    def _lock(self):
        return project_lock(self.root, timeout=self.lock_timeout)

    def _check(self) -> None:
        """Load the corpus as ``kg build`` does; raises the loader's error (file and line)."""
        from ..corpus.documents import load_corpus
        from ..corpus.facts import load_facts
        from ..corpus.mentions import load_mentions

        reference = self.reference()
        documents = load_corpus(self.corpus)
        mentions = load_mentions(self.corpus, documents, reference)
        load_facts(self.corpus, documents, reference.with_entities(mentions.entities.values()))

    def _commit(self, changes: dict[Path, str]) -> dict[Path, tuple[str | None, str]]:
        """Write every changed file atomically, check the corpus, roll back if it is refused.

        :returns: each file with its text before and after.
        """
        before = {path: path.read_text(encoding="utf-8") if path.exists() else None for path in changes}
        written: list[Path] = []
        try:
            for path, text in changes.items():
                write_atomically(inside(self.root, path), text)
                written.append(path)
            self._check()
        except KgError:
            for path in written:
                if before[path] is None:
                    path.unlink(missing_ok=True)
                else:
                    write_atomically(path, before[path])
            raise
        return {path: (before[path], text) for path, text in changes.items()}

    def _find(self, facts: list, fact_id: str, index: int | None, path: Path) -> int:
        if index is not None and 0 <= index < len(facts) and fingerprint(facts[index]) == fact_id:
            return index
        for at, fact in enumerate(facts):
            if fingerprint(fact) == fact_id:
                return at
        raise ReviewError(f"{path}: the fact was changed or removed since the page showed it "
                          "(another decision, or an edit of the file); reload the document")

    def _push(self, decision: _Decision) -> None:
        with self._guard:
            self._undo.setdefault(decision.slug, []).append(decision)

    def accept(self, slug: str, fact_id: str, index: int | None = None) -> dict:
        """Accept a proposed fact as it stands (``status: accepted``; its extraction provenance kept)."""
        return self._decide(slug, fact_id, index, "accept", None)

    def reject(self, slug: str, fact_id: str, index: int | None = None) -> dict:
        """Reject a proposed fact: it is deleted from the facts file."""
        return self._decide(slug, fact_id, index, "reject", None)

    def edit(self, slug: str, fact_id: str, changes: dict, index: int | None = None) -> dict:
        """Correct a fact and accept it.

        :param changes: field -> new value (a key, a list of keys, text, a number); None or ""
            removes the field; ``{"new": label, "class": cls}`` creates that entity in
            ``ontology/reference/`` and names it; ``kind`` changes the kind (fields the new kind
            lacks are dropped).
        """
        return self._decide(slug, fact_id, index, "edit", changes)

    def _decide(self, slug: str, fact_id: str, index: int | None, action: str, changes: dict | None) -> dict:
        path = self._path(slug, FACTS_SUFFIX)
        self._document(slug)
        with self._lock():
            if not path.is_file():
                raise ReviewError(f"{path}: this document has no facts file")
            data = load_yaml(path)
            facts = data["facts"]
            at = self._find(facts, fact_id, index, path)
            before = copy.deepcopy(facts[at])
            extra: dict[Path, str] = {}
            if action == "reject":
                del facts[at]
                after = None
            else:
                if action == "edit":
                    self._apply(facts[at], changes or {}, extra, path)
                if "status" in facts[at] or facts[at].get("method") == "extracted":
                    facts[at]["status"] = "accepted"
                after = fingerprint(facts[at])
            files = self._commit({path: dump_yaml(data), **extra})
        what = f"{action} {plain(before).get('kind', 'fact')} #{at + 1}"
        self._push(_Decision(slug, action, at, before, after, {p: t for p, t in files.items() if p != path}, what))
        return {"done": what, "id": after}

    def _apply(self, fact, changes: dict, extra: dict[Path, str], path: Path) -> None:
        kind = changes.get("kind", fact.get("kind"))
        if kind not in KINDS:
            raise ReviewError(f"{path}: unknown kind {kind!r}; kinds: {', '.join(KINDS)}")
        spec = KINDS[kind]
        if kind != fact.get("kind"):
            fact["kind"] = kind
            for name in [k for k in fact if k not in {f.name for f in spec.fields} | set(COMMON_FIELDS)]:
                del fact[name]
        for name, value in changes.items():
            if name == "kind":
                continue
            f = spec.field(name)
            if f is None:
                raise ReviewError(f"{path}: a {kind} has no field {name!r}")
            if isinstance(value, dict) and "new" in value:
                value = self._create(f.type, value, extra, path)
            elif isinstance(value, list):
                value = [self._create(f.type, v, extra, path) if isinstance(v, dict) else v for v in value if v != ""]
            if value is None or value == "" or value == []:
                if name in fact:
                    del fact[name]
            else:
                fact[name] = value

    def _create(self, field_type: str, request: dict, extra: dict[Path, str], path: Path) -> str:
        """A new entity named in an edit, written into the reference data; returns its key."""
        from . import reference as refs

        category = _CREATABLE.get(field_type)
        label = str(request.get("new", "")).strip()
        if category is None:
            raise ReviewError(f"{path}: no new entity can be created for a field of type {field_type}")
        key = slugify(label)
        if not key:
            raise ReviewError(f"{path}: a new {category} needs a name with letters or digits")
        cls = str(request.get("class") or _DEFAULT_CLASS[category])
        if cls not in CLASSES[category]:
            raise ReviewError(f"{path}: a {category} is one of {', '.join(CLASSES[category])}, not {cls!r}")
        reference = self.reference()
        known = reference.keys.get(category, {})
        if key in known:
            if reference.labels[known[key]].casefold() != label.casefold():
                raise ReviewError(f"{path}: the key {key!r} is taken by {reference.labels[known[key]]!r}; choose it")
            return key
        target = refs.reference_file(self.reference_dir, self._files(self.reference_dir, ".ttl"), reference, category)
        text = extra.get(target) or (target.read_text(encoding="utf-8") if target.exists() else refs.preamble(category))
        extra[target] = text + refs.entity_block(text, reference, category=category, key=key, cls=cls, label=label,
                                                  aliases=[])
        return key

    # -- entities --------------------------------------------------------------------------
    def _entity(self, slug: str, category: str, key: str) -> dict:
        path = self._path(slug, MENTIONS_SUFFIX)
        data = load_yaml(path) if path.is_file() else {}
        for entry in (data or {}).get("entities") or []:
            if str(entry["category"]) == category and str(entry["key"]) == key:
                return plain(entry)
        raise ReviewError(f"{path}: no proposed entity {category}/{key}")

    def accept_entity(self, slug: str, category: str, key: str) -> dict:
        """Accept a minted entity into ``ontology/reference/`` (same IRI); every mentions file
        that proposes it stops doing so."""
        from . import reference as refs

        with self._lock():
            entry = self._entity(slug, category, key)
            reference = self.reference()
            if key in reference.keys.get(category, {}):
                raise ReviewError(f"{category}/{key} is already in the reference data")
            target = refs.reference_file(self.reference_dir, self._files(self.reference_dir, ".ttl"), reference, category)
            text = target.read_text(encoding="utf-8") if target.exists() else refs.preamble(category)
            changes = {target: text + refs.entity_block(
                text, reference, category=category, key=key, cls=entry["class"], label=entry["label"],
                aliases=list(entry.get("aliases", [])), broader=entry.get("broader"))}
            changes.update(self._rekey(category, key, None))
            files = self._commit(changes)
        return self._entity_done(slug, "accept", f"accept {entry['label']} into {target.name}", files)

    def merge_entity(self, slug: str, category: str, key: str, into: str) -> dict:
        """Merge a minted entity into an existing one of the reference data: the existing one
        gains its label and aliases as aliases; facts and mentions naming it name the other."""
        from . import reference as refs

        with self._lock():
            entry = self._entity(slug, category, key)
            reference = self.reference()
            iri = reference.keys.get(category, {}).get(into)
            if iri is None:
                raise ReviewError(f"no {category} {into!r} in the reference data to merge {key!r} into")
            target = next(p for p in self._files(self.reference_dir, ".ttl") if refs.names_entity(p.read_text(encoding="utf-8"), iri))
            text = target.read_text(encoding="utf-8")
            known = set(reference.aliases(iri))
            names = sorted({entry["label"], *entry.get("aliases", [])} - known)
            changes = {target: text + refs.alias_block(text, iri, names)} if names else {}
            changes.update(self._rekey(category, key, into))
            files = self._commit(changes)
        return self._entity_done(slug, "merge", f"merge {entry['label']} into {reference.labels[iri]}", files)

    def reject_entity(self, slug: str, category: str, key: str) -> dict:
        """Reject a minted entity: its proposal and its mentions leave the mentions files.

        :raises ReviewError: when facts still name it (reject or edit those first).
        """
        with self._lock():
            entry = self._entity(slug, category, key)
            naming = self._facts_naming(category, key)
            if naming:
                raise ReviewError(f"{len(naming)} fact(s) name {entry['label']} ({', '.join(naming[:5])}); "
                                  "reject or edit them first")
            files = self._commit(self._rekey(category, key, None, drop_mentions=True))
        return self._entity_done(slug, "reject", f"reject {entry['label']}", files)

    def _entity_done(self, slug: str, action: str, what: str, files) -> dict:
        self._push(_Decision(slug, action, files=files, what=what))
        return {"done": what}

    def _facts_naming(self, category: str, key: str) -> list[str]:
        found = []
        for path in self._files(self.corpus, FACTS_SUFFIX):
            for number, fact in enumerate((load_yaml(path) or {}).get("facts") or [], start=1):
                if self._names(fact, category, key):
                    found.append(f"{path.name} #{number}")
        return found

    @staticmethod
    def _key_fields(fact) -> list:
        spec = KINDS.get(fact.get("kind")) if isinstance(fact, dict) else None
        return [f for f in spec.fields if f.type.startswith("key:") and f.name in fact] if spec else []

    def _names(self, fact, category: str, key: str) -> bool:
        for f in self._key_fields(fact):
            values = fact[f.name] if isinstance(fact[f.name], list) else [fact[f.name]]
            if f.type in (f"key:{category}", "key:any") and key in [str(v) for v in values]:
                return True
        return False

    def _rekey(self, category: str, key: str, into: str | None, drop_mentions: bool = False) -> dict[Path, str]:
        """The changed text of every mentions and facts file for an entity leaving the proposals:
        its declaration removed; its mentions re-keyed to ``into``, or dropped."""
        changes: dict[Path, str] = {}
        for path in self._mention_files():
            data = load_yaml(path) or {}
            entities, mentions = data.get("entities") or [], data.get("mentions") or []
            hit = [i for i, e in enumerate(entities) if str(e["category"]) == category and str(e["key"]) == key]
            uses = [i for i, m in enumerate(mentions) if str(m[2]) == category and str(m[3]) == key]
            if not hit and not (uses and (into or drop_mentions)):
                continue
            for i in reversed(hit):
                del entities[i]
            for i in reversed(uses):
                if drop_mentions:
                    del mentions[i]
                elif into:
                    mentions[i][3] = into
            changes[path] = dump_yaml(data)
        if into:
            for path in self._files(self.corpus, FACTS_SUFFIX):
                data = load_yaml(path)
                touched = False
                for fact in (data or {}).get("facts") or []:
                    for f in self._key_fields(fact):
                        if f.type not in (f"key:{category}", "key:any"):
                            continue
                        if isinstance(fact[f.name], list):
                            for i, v in enumerate(fact[f.name]):
                                if str(v) == key:
                                    fact[f.name][i], touched = into, True
                        elif str(fact[f.name]) == key:
                            fact[f.name], touched = into, True
                if touched:
                    changes[path] = dump_yaml(data)
        return changes

    # -- undo ------------------------------------------------------------------------------
    def undo(self, slug: str) -> dict:
        """Revert the last decision taken on a document (in this process), in the files too.

        :raises ReviewError: when there is none, or when a file it changed has been changed
            since in a way that undoing would overwrite.
        """
        self._path(slug, FACTS_SUFFIX)
        with self._guard:
            stack = self._undo.get(slug, [])
            if not stack:
                raise ReviewError(f"nothing to undo in {slug}")
            decision = stack.pop()
        try:
            with self._lock():
                changes: dict[Path, str] = {}
                for path, (before, after) in decision.files.items():
                    now = path.read_text(encoding="utf-8") if path.exists() else None
                    if now != after:
                        raise ReviewError(f"{path}: changed since the decision ({decision.what}); undo it by hand")
                    changes[path] = before if before is not None else ""
                if decision.before is not None:
                    path = self._path(slug, FACTS_SUFFIX)
                    data = load_yaml(path)
                    facts = data["facts"]
                    if decision.after is None:
                        facts.insert(min(decision.index, len(facts)), decision.before)
                    else:
                        facts[self._find(facts, decision.after, decision.index, path)] = decision.before
                    changes[path] = dump_yaml(data)
                created = [p for p, (before, _) in decision.files.items() if before is None]
                self._commit({p: t for p, t in changes.items() if p not in created})
                for path in created:  # a reference file the decision made: it goes again
                    path.unlink(missing_ok=True)
                if created:
                    self._check()
        except KgError:
            self._push(decision)
            raise
        restored = fingerprint(decision.before) if decision.before is not None else None
        return {"done": f"undid {decision.what}", "id": restored}

    # -- build -----------------------------------------------------------------------------
    def rebuild(self) -> dict:
        """Run the build as ``kg build`` does (accepted facts only).

        The lock is not held here: the build takes it itself where it publishes, and it is
        not re-entrant. A decision replaces each file in one rename, so the build reads every
        file as it was before or after that decision, never half of it.

        :returns: what was built and where the views are.
        :raises KgError: the build's own error (bad input, a graph that does not conform).
        """
        from ..pipeline import run

        outcome = run(self.root)
        built = outcome.build
        return {"documents": len(built.documents), "facts": len(built.facts), "quads": len(built.graph),
                "views": sorted(name.removeprefix("views/") for name in outcome.sizes if name.startswith("views/"))}



