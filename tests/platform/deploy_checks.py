"""What the deployment material (deploy/Dockerfile, deploy/compose.yaml, deploy/k8s) says about each container,
read into one shape, and the checks that hold it to the code: settings names, ports, probe paths, commands.
Each check returns a list of problems (empty: all good), so a test shows every mismatch at once."""

from __future__ import annotations

import argparse
import base64
import contextlib
import importlib
import io
import json
import re
import shlex
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import AliasChoices
from pydantic_settings import BaseSettings

from luoshi.settings import BaseServiceSettings
from luoshi_notify.settings import NotifySettings
from luoshi_ops.cli import build_parser
from luoshi_ops.services import SERVICES, service_port
from luoshi_scoring.settings import ScoringSettings
from luoshi_tasks.settings import TasksSettings
from tests.support import REPO

DEPLOY = REPO / "deploy"
SETTINGS: dict[str, type[BaseSettings]] = {"tasks": TasksSettings, "scoring": ScoringSettings, "notify": NotifySettings}
APP_MODULES = {key: target.split(":")[0] for key, (target, _var, _port) in SERVICES.items()}
# Which service each *_URL setting must reach.
URL_SETTINGS = {"TASKS_API_URL": "tasks", "SCORING_API_URL": "scoring", "NOTIFY_URL": "notify"}
# Containers that are not Luoshi's, by image name, and the variables their images read.
# Images that run no `luoshi`, with the settings they read: the console's is nginx with the built files (none)
OTHER_IMAGES = {
    "postgres": {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"},
    "axllent/mailpit": set(),
    "luoshi/console": set(),
}


@dataclass
class Container:
    where: str  # "compose tasks-api", "base Deployment/tasks-api initContainer migrate"
    image: str
    argv: list[str] | None  # None: the image's CMD
    env: dict[str, str | None] = field(default_factory=dict)  # value None: from a Secret reference
    ports: dict[str, int] = field(default_factory=dict)  # name (or the number as text) -> container port
    probes: dict[str, tuple[str, int | str]] = field(default_factory=dict)  # kind -> (path, port)
    owner: str = ""  # Kubernetes: "Deployment/tasks-api"
    role: str = "container"  # or "initContainer"


def env_names(cls: type[BaseSettings]) -> set[str]:
    """The environment variables a Settings class reads: each field's aliases, else its name in capitals."""
    names: set[str] = set()
    for name, info in cls.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            names.update(choice for choice in alias.choices if isinstance(choice, str))
        elif isinstance(alias, str):
            names.add(alias)
        else:
            names.add(name.upper())
    return names


def parse_luoshi(argv: list[str]) -> argparse.Namespace | str:
    """The parsed `luoshi` invocation, or why it is not one."""
    if not argv or argv[0] != "luoshi":
        return f"{argv} does not run `luoshi`"
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            return build_parser().parse_args(argv[1:])
        except SystemExit:
            return f"`{shlex.join(argv)}` is not a valid luoshi command: {err.getvalue().strip()}"


def served(argv: list[str] | None) -> str | None:
    """The service key (`tasks`) a command serves, if it is `luoshi serve KEY`."""
    args = parse_luoshi(argv) if argv else None
    return args.service if isinstance(args, argparse.Namespace) and args.command == "serve" else None


@cache
def app_paths(key: str) -> frozenset[str]:
    """The paths the service answers GET on (probes are GETs), from its OpenAPI document."""
    app = importlib.import_module(APP_MODULES[key]).app
    return frozenset(path for path, operations in app.openapi()["paths"].items() if "get" in operations)


def _known(env: dict[str, str | None]) -> dict[str, str]:
    return {k: v for k, v in env.items() if v is not None}


# ---- the checks ----


def check_container(c: Container) -> list[str]:
    """Env names are real settings of what runs; the command exists; ports and probes match the service."""
    problems: list[str] = []
    other = next((names for image, names in OTHER_IMAGES.items() if c.image.split(":")[0] == image), None)
    if other is not None:
        unknown = set(c.env) - other
        return [f"{c.where}: {sorted(unknown)} are not read by {c.image}"] if unknown else []
    if c.argv is None:
        return [f"{c.where}: give the command explicitly, so it can be checked"]
    args = parse_luoshi(c.argv)
    if isinstance(args, str):
        return [f"{c.where}: {args}"]
    key = served(c.argv)
    if key is not None:
        valid = env_names(SETTINGS[key])
    elif args.command == "migrate":  # shares its service's env; reads BaseServiceSettings itself
        valid = set().union(env_names(BaseServiceSettings), *(env_names(cls) for cls in SETTINGS.values()))
    elif args.command == "jwt-key":  # a one-shot that writes tasks-api's signing key: it reads no settings
        return [f"{c.where}: `luoshi jwt-key` takes no settings"] if c.env else []
    else:
        return [f"{c.where}: `{shlex.join(c.argv)}` is neither `luoshi serve` nor `luoshi migrate`"]
    if unknown := sorted(set(c.env) - valid):
        what = f"{SETTINGS[key].__name__}" if key else "any Settings class"
        problems.append(f"{c.where}: {unknown} are not settings of {what}")
    if key is None:
        if c.ports or c.probes:
            problems.append(f"{c.where}: a migration container needs no ports or probes")
        return problems
    listens = service_port(key, _known(c.env))
    if not c.ports:
        problems.append(f"{c.where}: declares no port (it listens on {listens})")
    for name, port in c.ports.items():
        if port != listens:
            problems.append(f"{c.where}: port {name}={port}, but `luoshi serve {key}` listens on {listens}")
    for kind, (path, port) in c.probes.items():
        if path not in app_paths(key):
            problems.append(f"{c.where}: {kind} probe {path} is not a route of {key}")
        if c.ports.get(str(port), port) != listens:
            problems.append(f"{c.where}: {kind} probe port {port} is not {listens}")
    return problems


def check_probe_paths(c: Container) -> list[str]:
    """Kubernetes: ready means /readyz (database and schema), alive and started mean /healthz (the process)."""
    if served(c.argv) is None:
        return []
    want = {"readinessProbe": "/readyz", "livenessProbe": "/healthz", "startupProbe": "/healthz"}
    problems = [f"{c.where}: no {kind}" for kind in ("readinessProbe", "livenessProbe") if kind not in c.probes]
    problems += [f"{c.where}: {k} is {p}, want {want[k]}" for k, (p, _) in c.probes.items() if want.get(k) != p]
    return problems


def check_urls(where: str, env: dict[str, str | None], hosts: dict[str, tuple[str, int]]) -> list[str]:
    """TASKS_API_URL and friends reach the right service: `hosts` maps a host name to (service key, port)."""
    problems = []
    for name, key in URL_SETTINGS.items():
        if not env.get(name):
            continue
        url = urlsplit(env[name])
        target = hosts.get(url.hostname or "")
        if target != (key, url.port):
            problems.append(f"{where}: {name}={env[name]} reaches {target}, want ({key!r}, port it listens on)")
    return problems


# ---- docker compose ----


def _interpolate(value: Any) -> str:
    """${VAR:-default} and ${VAR:?message} as compose would with VAR unset (the defaults are what we check)."""
    text = str(value)
    text = re.sub(r"\$\{\w+:?-([^}]*)\}", r"\1", text)
    return re.sub(r"\$\{\w+:?\?[^}]*\}", "set-by-operator", text)


def compose_services() -> dict[str, dict[str, Any]]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]


def compose_containers(services: dict[str, dict[str, Any]]) -> list[Container]:
    containers = []
    for name, svc in services.items():
        env = svc.get("environment") or {}
        if isinstance(env, list):
            env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
        command = svc.get("command")
        if isinstance(command, str):
            command = shlex.split(command)
        if command is None and "build" in svc:
            command = dockerfile_stages().get(svc["build"].get("target", ""), {}).get("CMD")
        ports = {}
        for spec in svc.get("ports") or []:
            container_port = int(str(spec).split(":")[-1].split("/")[0])
            ports[str(container_port)] = container_port
        image = svc.get("image", "")
        containers.append(
            Container(
                f"compose {name}",
                image,
                command,
                {k: None if v is None else _interpolate(v) for k, v in env.items()},
                ports,
            )
        )
    return containers


def compose_hosts(containers: list[Container]) -> dict[str, tuple[str, int]]:
    hosts = {}
    for c in containers:
        if key := served(c.argv):
            hosts[c.where.removeprefix("compose ")] = (key, service_port(key, _known(c.env)))
    return hosts


# ---- the Dockerfile ----


@cache
def dockerfile_stages() -> dict[str, dict[str, Any]]:
    """Per stage: FROM, ENV, WORKDIR, USER, CMD (exec form), EXPOSE ports, HEALTHCHECK command, COPY and RUN; a stage
    built FROM another inherits what an image inherits."""
    text = re.sub(r"\\\n\s*", " ", (DEPLOY / "Dockerfile").read_text())
    stages: dict[str, dict[str, Any]] = {}
    stage: dict[str, Any] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, rest = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            base, _, name = rest.partition(" AS ")
            parent = stages.get(base.strip(), {})
            stage = {"FROM": base.strip(), "ENV": dict(parent.get("ENV", {})), "EXPOSE": [], "COPY": []}
            for inherited in ("CMD", "HEALTHCHECK", "WORKDIR", "USER"):
                if inherited in parent:
                    stage[inherited] = parent[inherited]
            stages[name.strip()] = stage
        elif instruction == "ENV":
            stage["ENV"].update(pair.split("=", 1) for pair in shlex.split(rest))
        elif instruction in ("WORKDIR", "USER"):
            stage[instruction] = rest.strip()
        elif instruction == "CMD":
            stage["CMD"] = json.loads(rest)
        elif instruction == "EXPOSE":
            stage["EXPOSE"] = [int(p.split("/")[0]) for p in rest.split()]
        elif instruction == "HEALTHCHECK":
            stage["HEALTHCHECK"] = None if rest.strip() == "NONE" else json.loads(rest.split(" CMD ", 1)[1])
        elif instruction in ("COPY", "RUN"):
            stage.setdefault(instruction, []).append(rest)
    return stages


# ---- Kubernetes ----


def kustomize(directory: Path) -> list[dict[str, Any]]:
    out = subprocess.run(["kubectl", "kustomize", str(directory)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return [doc for doc in yaml.safe_load_all(out.stdout) if doc]


def _config_data(docs: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, str | None]]:
    """(kind, name) -> data of every rendered ConfigMap and Secret (Secret values decoded)."""
    found: dict[tuple[str, str], dict[str, str | None]] = {}
    for doc in docs:
        if doc["kind"] == "ConfigMap":
            found["ConfigMap", doc["metadata"]["name"]] = {k: str(v) for k, v in (doc.get("data") or {}).items()}
        elif doc["kind"] == "Secret":
            data = {k: base64.b64decode(v).decode() for k, v in (doc.get("data") or {}).items()}
            found["Secret", doc["metadata"]["name"]] = {**data, **(doc.get("stringData") or {})}
    return found


def pod_specs(docs: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    specs = []
    for doc in docs:
        spec = doc.get("spec") or {}
        if doc["kind"] == "CronJob":
            spec = spec["jobTemplate"]["spec"]
        if "template" in spec and doc["kind"] != "Cluster":
            specs.append((f"{doc['kind']}/{doc['metadata']['name']}", spec["template"]))
    return specs


def k8s_containers(docs: list[dict[str, Any]], label: str, external: set[str]) -> tuple[list[Container], list[str]]:
    """Every container of every pod template; problems: references to ConfigMaps or Secrets that are neither
    rendered nor in `external` (the Secrets an operator creates), or to keys they lack."""
    config = _config_data(docs)
    containers, problems = [], []

    def source(kind: str, name: str, where: str) -> dict[str, str | None] | None:
        if (kind, name) in config:
            return config[kind, name]
        if name not in external:
            problems.append(f"{where}: {kind} {name} is neither in the manifests nor a documented external one")
        return None

    for owner, template in pod_specs(docs):
        spec = template["spec"]
        for role, items in (("initContainer", spec.get("initContainers") or []), ("container", spec["containers"])):
            for item in items:
                where = f"{label} {owner} {role} {item['name']}"
                env: dict[str, str | None] = {}
                for ref in item.get("envFrom") or []:
                    kind, body = (
                        ("ConfigMap", ref["configMapRef"]) if "configMapRef" in ref else ("Secret", ref["secretRef"])
                    )
                    env.update(source(kind, body["name"], where) or {})
                for var in item.get("env") or []:
                    value = var.get("value")
                    if "valueFrom" in var:
                        ref = var["valueFrom"].get("secretKeyRef") or var["valueFrom"].get("configMapKeyRef")
                        kind = "Secret" if "secretKeyRef" in var["valueFrom"] else "ConfigMap"
                        data = source(kind, ref["name"], where)
                        if data is not None and ref["key"] not in data:
                            problems.append(f"{where}: {kind} {ref['name']} has no key {ref['key']}")
                        value = None if kind == "Secret" else (data or {}).get(ref["key"])
                    env[var["name"]] = value
                ports = {}
                for port in item.get("ports") or []:
                    ports[str(port["containerPort"])] = port["containerPort"]
                    if "name" in port:
                        ports[port["name"]] = port["containerPort"]
                probes = {
                    kind: (item[kind]["httpGet"]["path"], item[kind]["httpGet"]["port"])
                    for kind in ("readinessProbe", "livenessProbe", "startupProbe")
                    if kind in item and "httpGet" in item[kind]
                }
                argv = (item.get("command") or []) + (item.get("args") or []) or None
                containers.append(Container(where, item["image"], argv, env, ports, probes, owner, role))
    return containers, problems


def check_k8s_wiring(docs: list[dict[str, Any]], containers: list[Container], label: str) -> list[str]:
    """Services select a pod that serves on their targetPort; the *_URL settings name those Services and ports;
    autoscalers and disruption budgets point at Deployments that exist."""
    problems: list[str] = []
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    serving = {c.owner: c for c in containers if c.role == "container" and served(c.argv)}
    hosts: dict[str, tuple[str, int]] = {}
    for svc in (d for d in docs if d["kind"] == "Service"):
        selector = svc["spec"]["selector"]
        matched = [
            serving[f"Deployment/{name}"]
            for name, dep in deployments.items()
            if f"Deployment/{name}" in serving and selector.items() <= _pod_labels(dep).items()
        ]
        if len(matched) != 1:
            problems.append(f"{label} Service/{svc['metadata']['name']}: selects {len(matched)} serving Deployments")
            continue
        c = matched[0]
        key = served(c.argv)
        assert key is not None
        for port in svc["spec"]["ports"]:
            target = port.get("targetPort", port["port"])
            if c.ports.get(str(target)) != service_port(key, _known(c.env)):
                problems.append(
                    f"{label} Service/{svc['metadata']['name']}: targetPort {target} is not where {key} listens"
                )
            hosts[svc["metadata"]["name"]] = (key, port["port"])
    for c in containers:
        problems += check_urls(c.where, c.env, hosts)
    for doc in docs:
        if doc["kind"] == "HorizontalPodAutoscaler" and doc["spec"]["scaleTargetRef"]["name"] not in deployments:
            problems.append(f"{label} HPA/{doc['metadata']['name']}: no such Deployment")
        if doc["kind"] == "PodDisruptionBudget":
            selector = doc["spec"]["selector"]["matchLabels"].items()
            if not any(selector <= _pod_labels(d).items() for d in deployments.values()):
                problems.append(f"{label} PDB/{doc['metadata']['name']}: selects no Deployment")
    return problems


def _pod_labels(workload: dict[str, Any]) -> dict[str, str]:
    return workload["spec"]["template"]["metadata"]["labels"]
