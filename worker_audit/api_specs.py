"""Handlers an API spec names: Connexion routes each operation of an OpenAPI or Swagger spec to
the function its `operationId` names (`rules/connexion.yaml`). The spec is composed with the
safe loader, never loaded: its operations are read with their lines."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from worker_audit.compose import YamlProblem, compose_yaml
from worker_audit.deploy_files import mapping_value
from worker_audit.knowledge import SpecRoutes


@dataclass(frozen=True)
class SpecOperation:
    function: str  # the dotted name of the handler: "app.routes.tasks.task_submit"
    method: str  # "post"
    route: str  # "/tasks/{task_id}"
    line: int  # of the operationId, in the spec


def _scalar(node: yaml.Node | None) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) else ""


def _controller(node: yaml.MappingNode, routes: SpecRoutes) -> str:
    return next((name for key in routes.controller_keys if (name := _scalar(mapping_value(node, key)))), "")


def spec_operations(text: str, routes: SpecRoutes) -> list[SpecOperation]:
    """The operations of the spec `text` holds, each with the function that answers it; none
    when the text is no spec (or no YAML: a template, a broken file is not ours to report)."""
    documents = compose_yaml(text)
    if isinstance(documents, YamlProblem) or not documents or not isinstance(documents[0], yaml.MappingNode):
        return []
    document = documents[0]
    paths = mapping_value(document, "paths")
    if not isinstance(paths, yaml.MappingNode) or all(mapping_value(document, k) is None for k in routes.spec_keys):
        return []
    found = []
    for route, item in paths.value:
        if not _scalar(route) or not isinstance(item, yaml.MappingNode):
            continue
        for method, operation in item.value:
            if _scalar(method).lower() not in routes.methods or not isinstance(operation, yaml.MappingNode):
                continue
            named = mapping_value(operation, routes.operation_key)
            function = _scalar(named)
            if not function:
                continue
            controller = _controller(operation, routes)  # Connexion reads it on the operation only
            dotted = f"{controller}.{function}" if controller else function
            found.append(SpecOperation(dotted, _scalar(method).lower(), _scalar(route), named.start_mark.line + 1))
    return found
