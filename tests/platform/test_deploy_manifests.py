"""The deployment material stays true to the code. For docker compose and Kubernetes (base and production overlay,
rendered with `kubectl kustomize` when kubectl is installed) alike: every environment variable set is a real setting
of the service that reads it, ports and probe paths are the services' own, and every command is a real `luoshi`
command; the Dockerfile's images run, expose and health-check what the manifests expect. No database needed."""

from __future__ import annotations

import copy
import inspect
import re
import shutil
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import luoshi.settings
from luoshi_ops.services import SERVICES, service_port
from tests.platform.deploy_checks import (
    DEPLOY,
    REPO,
    Container,
    check_container,
    check_k8s_wiring,
    check_probe_paths,
    check_urls,
    compose_containers,
    compose_hosts,
    compose_services,
    dockerfile_stages,
    env_names,
    k8s_containers,
    kustomize,
    parse_luoshi,
    pod_specs,
    served,
)

# The image each service runs in (a Dockerfile target, and the image name's last part).
IMAGE_OF = {"tasks": "tasks-api", "scoring": "scoring-api", "notify": "notify"}
# Variables the images set for themselves rather than for Settings: Python's, pip's, and LUOSHI_HOME (where
# migrations/ are, read by luoshi.settings.REPO_ROOT).
IMAGE_ENV = {"PATH", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PIP_DISABLE_PIP_VERSION_CHECK"}
IMAGE_ENV |= {"PIP_ROOT_USER_ACTION", "LUOSHI_HOME"}
# Secrets an operator creates (documented in the manifests), by overlay.
EXTERNAL_SECRETS = {
    "base": {"luoshi-jwt"},
    "overlays/production": {"luoshi-jwt", "luoshi-secrets", "luoshi-notify-secrets", "luoshi-db-app"},
}
needs_kubectl = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl renders the kustomizations")


def image_name(image: str) -> str:
    """registry.example/luoshi/tasks-api:0.1 -> tasks-api"""
    return image.rsplit("/", 1)[-1].split(":")[0]


# ---- the Dockerfile ----


def test_each_service_has_an_image_that_serves_exposes_and_health_checks_it():
    stages = dockerfile_stages()
    problems = []
    for key, target in IMAGE_OF.items():
        stage = stages.get(target)
        if stage is None:
            problems.append(f"no Dockerfile target {target}")
            continue
        if served(stage.get("CMD")) != key:
            problems.append(f"{target}: CMD {stage.get('CMD')} does not serve {key}")
        if stage["EXPOSE"] != [service_port(key, stage["ENV"])]:
            problems.append(f"{target}: EXPOSE {stage['EXPOSE']}, but it listens on {service_port(key, stage['ENV'])}")
        if stage.get("HEALTHCHECK") != ["python", f"{stage['WORKDIR']}/healthcheck.py", key]:
            problems.append(f"{target}: HEALTHCHECK {stage.get('HEALTHCHECK')} is not healthcheck.py {key}")
    assert not problems, "\n".join(problems)
    assert parse_luoshi(stages["migrate"]["CMD"]).command == "migrate"
    assert stages["migrate"]["HEALTHCHECK"] is None
    # healthcheck.py asks for /healthz on the port `luoshi serve` uses; it is copied into the images' WORKDIR.
    script = (DEPLOY / "healthcheck.py").read_text()
    assert "/healthz" in script and "service_port(" in script
    assert "deploy/healthcheck.py ./" in stages["runtime"]["COPY"]


def test_the_images_install_the_project_run_as_a_user_and_find_their_migrations():
    stages = dockerfile_stages()
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim$", (DEPLOY / "Dockerfile").read_text(), re.M)
    assert stages["build"]["FROM"] == stages["runtime"]["FROM"] == "${PYTHON_IMAGE}"
    assert any(re.search(r"pip install \.(\s|$)", run) for run in stages["build"]["RUN"]), "install the project"
    assert not any("pip install -e" in run or "--editable" in run for run in stages["build"]["RUN"])
    assert "--from=build /opt/venv /opt/venv" in stages["runtime"]["COPY"]
    assert stages["runtime"]["USER"].split(":")[0] not in ("", "0", "root")
    # The installed package sits in site-packages; LUOSHI_HOME tells it where migrations/ and alembic.ini are.
    env = stages["runtime"]["ENV"]
    assert env["LUOSHI_HOME"] == stages["runtime"]["WORKDIR"]
    assert {"alembic.ini ./", "migrations ./migrations"} <= set(stages["runtime"]["COPY"])
    assert 'os.environ.get("LUOSHI_HOME")' in inspect.getsource(luoshi.settings)
    assert env["HOST"] == "0.0.0.0"
    settings = env_names(luoshi.settings.BaseServiceSettings)
    for stage in stages.values():
        assert set(stage["ENV"]) <= settings | IMAGE_ENV, f"unknown ENV {set(stage['ENV']) - settings - IMAGE_ENV}"
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["luoshi"] == "luoshi_ops.cli:main"
    # Every package of the project is copied into the build, the tooling (deploy/luoshi_ops) included.
    copied = [Path(c.split()[0]) for c in stages["build"]["COPY"]]
    packages = [
        init.parent.relative_to(REPO)
        for where in project["tool"]["setuptools"]["packages"]["find"]["where"]
        for init in (REPO / where).glob("luoshi*/__init__.py")
    ]
    assert {p.name for p in packages} == {"luoshi", "luoshi_tasks", "luoshi_scoring", "luoshi_notify", "luoshi_ops"}
    assert [p for p in packages if not any(c == p or c in p.parents for c in copied)] == []


# ---- docker compose ----


def compose_problems(services: dict[str, dict[str, Any]]) -> list[str]:
    containers = compose_containers(services)
    hosts = compose_hosts(containers)
    problems = []
    for c in containers:
        problems += check_container(c)
        problems += check_urls(c.where, c.env, hosts)
    return problems


def test_compose_sets_real_settings_ports_and_commands():
    problems = compose_problems(compose_services())
    assert not problems, "\n".join(problems)


def test_compose_builds_each_service_from_its_target_after_the_migration():
    services = compose_services()
    stages = dockerfile_stages()
    serving = {}
    for name, svc in services.items():
        if "build" not in svc:
            continue
        target = svc["build"]["target"]
        if svc["command"][:2] == ["luoshi", "jwt-key"]:  # a one-shot from the tasks-api image, before it serves
            continue
        assert svc["command"] == stages[target]["CMD"], f"{name} runs another command than its image"
        assert image_name(svc["image"]) == target
        if key := served(svc["command"]):
            serving[key] = svc
    assert set(serving) == set(SERVICES)
    assert parse_luoshi(services["migrate"]["command"]).command == "migrate"
    for svc in serving.values():
        assert svc["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    tasks = serving["tasks"]
    key_file = tasks["environment"]["JWT_PRIVATE_KEY_FILE"]
    assert any(key_file.startswith(v.split(":")[1] + "/") for v in tasks["volumes"]), "keep the JWT key in a volume"


def test_a_misspelt_setting_in_compose_is_caught():
    services = copy.deepcopy(compose_services())
    services["tasks-api"]["environment"]["DATABSE_URL"] = "postgresql://x@db/x"
    services["notify"]["environment"]["JWT_PRIVATE_KEY_FILE"] = "/k.pem"  # tasks-api's setting, not notify's
    services["scoring-api"]["command"] = ["luoshi", "serve", "scorng"]
    problems = "\n".join(compose_problems(services))
    assert "DATABSE_URL" in problems and "JWT_PRIVATE_KEY_FILE" in problems and "scorng" in problems


# ---- Kubernetes ----


@cache
def rendered(overlay: str) -> list[dict[str, Any]]:
    return kustomize(DEPLOY / "k8s" / overlay)


def k8s_problems(overlay: str, docs: list[dict[str, Any]]) -> tuple[list[Container], list[str]]:
    containers, problems = k8s_containers(docs, overlay, EXTERNAL_SECRETS[overlay])
    for c in containers:
        problems += check_container(c) + check_probe_paths(c)
    problems += check_k8s_wiring(docs, containers, overlay)
    return containers, problems


@needs_kubectl
@pytest.mark.parametrize("overlay", ["base", "overlays/production"])
def test_kubernetes_sets_real_settings_ports_probes_and_commands(overlay: str):
    containers, problems = k8s_problems(overlay, rendered(overlay))
    assert not problems, "\n".join(problems)
    stages = dockerfile_stages()
    serving = [c for c in containers if c.role == "container" and served(c.argv)]
    assert sorted(served(c.argv) for c in serving) == sorted(SERVICES)
    for c in containers:
        # Each image can run any luoshi command; a service's own container runs what its image would.
        assert image_name(c.image) in stages, f"{c.where}: {c.image} is no Dockerfile target"
        if c in serving:
            assert stages[image_name(c.image)]["CMD"] == c.argv, f"{c.where} runs another service than its image"


@needs_kubectl
@pytest.mark.parametrize("overlay", ["base", "overlays/production"])
def test_every_new_pod_migrates_before_it_serves(overlay: str):
    containers, _ = k8s_containers(rendered(overlay), overlay, EXTERNAL_SECRETS[overlay])
    for c in containers:
        if c.role == "container" and served(c.argv):
            init = [i for i in containers if i.owner == c.owner and i.role == "initContainer"]
            assert [parse_luoshi(i.argv).command for i in init] == ["migrate"], c.owner
            assert {i.image for i in init} == {c.image}, "migrations must come from the release that expects them"
    jobs = [c for c in containers if c.owner.startswith("Job/")]
    assert jobs and all(parse_luoshi(c.argv).command == "migrate" for c in jobs)


@needs_kubectl
@pytest.mark.parametrize("overlay", ["base", "overlays/production"])
def test_tasks_api_replicas_share_one_signing_key_from_a_secret(overlay: str):
    deployment = next(
        d for d in rendered(overlay) if d["kind"] == "Deployment" and d["metadata"]["name"] == "tasks-api"
    )
    spec = deployment["spec"]["template"]["spec"]
    container = spec["containers"][0]
    key_file = next(e["value"] for e in container["env"] if e["name"] == "JWT_PRIVATE_KEY_FILE")
    secret_volumes = {v["name"]: v["secret"]["secretName"] for v in spec["volumes"] if "secret" in v}
    mounts = [m for m in container["volumeMounts"] if m["name"] in secret_volumes]
    assert any(key_file.startswith(m["mountPath"] + "/") for m in mounts), "mount the key from a Secret"


@needs_kubectl
def test_production_refuses_placeholders_and_uses_the_cloudnativepg_cluster():
    docs = rendered("overlays/production")
    config = next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "luoshi-config")
    assert config["data"]["ENVIRONMENT"] == "production"
    assert not [d for d in docs if d["kind"] == "Secret"], "production Secrets are created outside the manifests"
    cluster = next(d for d in docs if d["kind"] == "Cluster")
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1" and cluster["spec"]["instances"] >= 3
    # Every Luoshi container reads DATABASE_URL from the Secret CloudNativePG generates for the cluster's owner.
    for owner, template in pod_specs(docs):
        for item in template["spec"]["containers"] + template["spec"].get("initContainers", []):
            refs = [e["valueFrom"]["secretKeyRef"] for e in item.get("env", []) if e["name"] == "DATABASE_URL"]
            assert refs == [{"name": f"{cluster['metadata']['name']}-app", "key": "uri"}], f"{owner} {item['name']}"
    base_hpa = {
        d["metadata"]["name"]: d["spec"]["maxReplicas"] for d in rendered("base") if d["kind"].startswith("Hor")
    }
    prod_hpa = {d["metadata"]["name"]: d["spec"]["maxReplicas"] for d in docs if d["kind"].startswith("Hor")}
    assert all(prod_hpa[name] > base for name, base in base_hpa.items())


@needs_kubectl
def test_a_misspelt_setting_in_kubernetes_is_caught():
    docs = copy.deepcopy(rendered("base"))
    config = next(d for d in docs if d["kind"] == "ConfigMap")
    config["data"]["LOG_LEVLE"] = "DEBUG"
    deployment = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "scoring-api")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["readinessProbe"]["httpGet"]["path"] = "/ready"
    container["ports"][0]["containerPort"] = 8080
    _, problems = k8s_problems("base", docs)
    text = "\n".join(problems)
    assert "LOG_LEVLE" in text and "/ready " in text and "8080" in text
