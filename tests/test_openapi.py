"""/api/v1/openapi.json must be exact: every response and request body points at the schema
of the class that really describes it (schemathesis checks each response against it).

django-ninja names a component after the class (pydantic's definitions key, in practice
``__name__``) and merges the definitions of every operation into one ``components.schemas``
dict, so two distinct classes of the same name silently overwrite each other there."""

from __future__ import annotations

import enum
import json
import re
import typing
from collections import defaultdict

import pytest
from ninja.constants import NOT_SET
from ninja.openapi.schema import OpenAPISchema
from ninja.utils import normalize_path
from pydantic import BaseModel

from aircop.api import api, common_errors

REF_PREFIX = "#/components/schemas/"


def component_name(cls: type) -> str:
    """The definitions key pydantic gives a class, as ninja keeps it (GenerateJsonSchema.normalize_name)."""
    return re.sub(r"[^a-zA-Z0-9.\-_]", "_", cls.__name__).replace(".", "__")


def operations():
    """Every (label, operation) that the document describes, nested routers included."""
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                if operation.include_in_schema:
                    yield (
                        f"{'/'.join(operation.methods)} {normalize_path(f'/{bound.prefix}/{path}')}",
                        operation,
                    )


def top_level_models(operation):
    """The models ninja turns into JSON schema for an operation: its parameter/body models and
    its response models, with the error answers the API adds to every operation
    (aircop.api.common_errors). They are ninja's own wrappers (their schema is inlined, not a
    component); the classes their fields reach end up in components.schemas."""
    yield from operation.models
    for model in operation.response_models.values():
        if model not in (None, NOT_SET):
            yield model
    for cls in common_errors(operation).values():
        yield operation._create_response_model(cls)


def named_types(annotation, seen: set):
    """Every pydantic model and enum class an annotation reaches, through fields, generics,
    unions, Annotated and computed fields."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        yield annotation
        for field in annotation.model_fields.values():
            yield from named_types(field.annotation, seen)
        for computed in annotation.model_computed_fields.values():
            yield from named_types(computed.return_type, seen)
        return
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        yield annotation
        return
    for arg in typing.get_args(annotation):
        yield from named_types(arg, seen)


def reachable_classes() -> dict[str, dict[type, set[str]]]:
    """component name -> {class -> the operations that reach it}."""
    found: dict[str, dict[type, set[str]]] = defaultdict(lambda: defaultdict(set))
    for label, operation in operations():
        for top in top_level_models(operation):
            seen: set = set()
            for field in top.model_fields.values():
                for cls in named_types(field.annotation, seen):
                    found[component_name(cls)][cls].add(label)
    return found


def qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


@pytest.fixture(scope="module")
def built():
    """The document, and every definition ninja merged into it on the way (name -> the
    distinct JSON texts it was given)."""
    given: dict[str, set[str]] = defaultdict(set)
    original = OpenAPISchema.add_schema_definitions

    def recording(self, definitions):
        for name, definition in definitions.items():
            given[name].add(json.dumps(definition, sort_keys=True))
        return original(self, definitions)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(OpenAPISchema, "add_schema_definitions", recording)
        document = api.get_openapi_schema()
    return json.loads(json.dumps(document, default=str)), given


def test_no_two_classes_share_a_component_name():
    clashes = {
        name: {qualified(cls): sorted(labels)[:3] for cls, labels in classes.items()}
        for name, classes in reachable_classes().items()
        if len(classes) > 1
    }
    assert not clashes, "distinct classes named alike (rename one, or share one class):\n" + "\n".join(
        f"  {name}: {', '.join(where)}" for name, where in sorted(clashes.items())
    )


def test_no_component_is_overwritten_with_another_schema(built):
    _document, given = built
    overwritten = sorted(name for name, texts in given.items() if len(texts) > 1)
    assert not overwritten, f"components defined twice, differently: {overwritten}"


def test_the_components_are_exactly_the_reachable_classes(built):
    """Checks that component_name() derives the names ninja really uses, so the clash test
    above looks at the right keys."""
    document, _given = built
    components = set(document["components"]["schemas"])
    names = set(reachable_classes())
    assert names - components == set(), "classes without their own component"
    assert components - names == set(), "components the walk over the operations did not find"


def test_every_ref_resolves_to_a_component(built):
    document, _given = built
    components = document["components"]["schemas"]
    refs: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.add(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    assert refs, "no $ref at all: the walk is broken"
    dangling = sorted(
        r for r in refs if not r.startswith(REF_PREFIX) or r[len(REF_PREFIX) :] not in components
    )
    assert not dangling


def test_the_served_document_is_the_built_one(built, client_for):
    document, _given = built
    served = client_for("analyst").get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.json()["components"] == document["components"]
    assert served.json()["paths"].keys() == document["paths"].keys()
