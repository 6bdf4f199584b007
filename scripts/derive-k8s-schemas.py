#!/usr/bin/env python3
"""Derive the compact, project-local copy of the Kubernetes schemas used by the tests.

Reads the shared schema folder (default: ../shared/k8s-schemas relative to the project root):
  kubernetes-1.36-swagger.json            Kubernetes 1.36 OpenAPI v2 (Apache-2.0)
  crds/<group>/<kind>_<version>.json      JSON Schemas of custom resources (CRD catalog, MIT)
and writes src/test/resources/k8s-schemas/:
  kubernetes-1.36-compact.json            the definitions of the kinds castle emits and every
                                          definition they reference, descriptions removed
  crds/<group>/<kind>_<version>.json      the same CRD schemas, descriptions removed, minified
  SOURCE.md                               provenance and how to re-derive
and, for castle itself (its rules check what the user writes in the CRDs' own shape),
src/main/resources/dev/castle/schema/:
  secretstore-provider.json               spec.provider of the External Secrets Operator's
                                          SecretStore v1 (castle writes secretStore.provider there
                                          as written), descriptions and CEL rules removed

Usage: python3 scripts/derive-k8s-schemas.py [SHARED_SCHEMA_DIR]
Standard library only; the output is deterministic (sorted keys, minified).
"""
import json
import os
import shutil
import sys

# (group, version, kind) of every built-in kind castle emits. Core group is "".
KINDS = [
    ("", "v1", "Service"),
    ("", "v1", "ConfigMap"),
    ("", "v1", "Secret"),
    ("", "v1", "ServiceAccount"),
    ("", "v1", "PersistentVolumeClaim"),
    ("", "v1", "Pod"),
    ("", "v1", "Namespace"),
    ("", "v1", "ResourceQuota"),
    ("", "v1", "LimitRange"),
    ("apps", "v1", "Deployment"),
    ("apps", "v1", "StatefulSet"),
    ("batch", "v1", "Job"),
    ("batch", "v1", "CronJob"),
    ("policy", "v1", "PodDisruptionBudget"),
    ("networking.k8s.io", "v1", "NetworkPolicy"),
    ("networking.k8s.io", "v1", "Ingress"),
    ("autoscaling", "v2", "HorizontalPodAutoscaler"),
    ("rbac.authorization.k8s.io", "v1", "Role"),
    ("rbac.authorization.k8s.io", "v1", "RoleBinding"),
    ("scheduling.k8s.io", "v1", "PriorityClass"),
]

SWAGGER = "kubernetes-1.36-swagger.json"
COMPACT = "kubernetes-1.36-compact.json"
REF_PREFIX = "#/definitions/"

# Keys whose value maps *names* to schemas: a "description" key in there is a field called
# "description" (PriorityClass has one), not documentation, and must be kept.
NAME_MAPS = ("properties", "patternProperties", "definitions", "$defs", "dependentSchemas")

SOURCE_MD = """# Kubernetes schemas for the tests (derived, do not edit)

Derived by `python3 scripts/derive-k8s-schemas.py` from the shared schema folder
(`../shared/k8s-schemas/` next to the project); re-run it there to refresh these files.

- `kubernetes-1.36-compact.json`: from `kubernetes-1.36-swagger.json`, the Kubernetes 1.36 OpenAPI v2
  document (Kubernetes project, Apache-2.0). Only the definitions of the kinds castle emits, and every
  definition they reference transitively, are kept; all `description` texts are removed. Top-level
  kinds keep `x-kubernetes-group-version-kind`, which maps apiVersion + kind to a definition.
  Kinds: {kinds}.
- `crds/<group>/<kind-lowercase>_<version>.json`: JSON Schemas of custom resources from the community
  CRD catalog (MIT), same layout as kubeconform's `{{{{.Group}}}}/{{{{.ResourceKind}}}}_{{{{.ResourceAPIVersion}}}}.json`,
  `description` texts removed, minified. Files: {crd_count}.

The test helper `dev.castle.testing.KubeSchemaValidator` turns these into strict JSON Schemas
(as kubeconform `-strict`).
"""


def strip_descriptions(node, in_name_map=False):
    """Returns a copy of a schema with every `description` keyword removed."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if in_name_map:
                out[key] = strip_descriptions(value)
            elif key == "description" and isinstance(value, str):
                continue
            else:
                out[key] = strip_descriptions(value, key in NAME_MAPS and isinstance(value, dict))
        return out
    if isinstance(node, list):
        return [strip_descriptions(v) for v in node]
    return node


def refs_of(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs_of(value)
    elif isinstance(node, list):
        for v in node:
            yield from refs_of(v)


def dump(obj, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")


def derive_compact(source_dir, out_dir):
    with open(os.path.join(source_dir, SWAGGER), encoding="utf-8") as f:
        definitions = json.load(f)["definitions"]
    by_gvk = {}
    for name, definition in definitions.items():
        for gvk in definition.get("x-kubernetes-group-version-kind", []):
            by_gvk.setdefault((gvk["group"], gvk["version"], gvk["kind"]), []).append(name)
    roots = []
    for gvk in KINDS:
        names = by_gvk.get(gvk)
        if not names:
            sys.exit("derive-k8s-schemas: no definition for %s/%s %s" % gvk)
        if len(names) > 1:
            sys.exit("derive-k8s-schemas: several definitions for %s/%s %s: %s" % (gvk + (names,)))
        roots.append(names[0])
    keep, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        if name not in definitions:
            sys.exit("derive-k8s-schemas: dangling reference to %s" % name)
        keep.add(name)
        for ref in refs_of(definitions[name]):
            if not ref.startswith(REF_PREFIX):
                sys.exit("derive-k8s-schemas: unsupported $ref %s in %s" % (ref, name))
            todo.append(ref[len(REF_PREFIX):])
    compact = {
        "definitions": {name: strip_descriptions(definitions[name]) for name in sorted(keep)},
        "info": {
            "title": "Kubernetes 1.36 OpenAPI v2, compact: the kinds castle emits (derived)",
            "license": "Apache-2.0",
        },
        "swagger": "2.0",
    }
    dump(compact, os.path.join(out_dir, COMPACT))
    return len(keep)


def derive_crds(source_dir, out_dir):
    src_root = os.path.join(source_dir, "crds")
    dst_root = os.path.join(out_dir, "crds")
    if os.path.isdir(dst_root):
        shutil.rmtree(dst_root)
    count = 0
    for dirpath, dirnames, filenames in os.walk(src_root):
        dirnames.sort()
        for filename in sorted(filenames):
            if not filename.endswith(".json"):
                continue
            src = os.path.join(dirpath, filename)
            with open(src, encoding="utf-8") as f:
                schema = json.load(f)
            dump(strip_descriptions(schema), os.path.join(dst_root, os.path.relpath(src, src_root)))
            count += 1
    return count


MAIN_SCHEMAS = "src/main/resources/dev/castle/schema"


def strip_cel(node):
    """Removes x-kubernetes-* keywords (CEL rules and the like): JSON Schema validators do not run them."""
    if isinstance(node, dict):
        return {k: strip_cel(v) for k, v in node.items() if not k.startswith("x-kubernetes-")}
    if isinstance(node, list):
        return [strip_cel(v) for v in node]
    return node


def derive_main(source_dir, project):
    with open(os.path.join(source_dir, "crds", "external-secrets.io", "secretstore_v1.json"), encoding="utf-8") as f:
        provider = json.load(f)["properties"]["spec"]["properties"]["provider"]
    provider = strip_cel(strip_descriptions(provider))
    provider["$comment"] = ("spec.provider of the External Secrets Operator's SecretStore external-secrets.io/v1, from the CRD"
                            " catalog (MIT); derived by scripts/derive-k8s-schemas.py, do not edit")
    dump(provider, os.path.join(project, MAIN_SCHEMAS, "secretstore-provider.json"))


def main(argv):
    project = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    source_dir = argv[1] if len(argv) > 1 else os.path.join(project, "..", "shared", "k8s-schemas")
    source_dir = os.path.abspath(source_dir)
    if not os.path.isfile(os.path.join(source_dir, SWAGGER)):
        sys.exit("derive-k8s-schemas: %s not found in %s" % (SWAGGER, source_dir))
    out_dir = os.path.join(project, "src", "test", "resources", "k8s-schemas")
    os.makedirs(out_dir, exist_ok=True)
    definitions = derive_compact(source_dir, out_dir)
    crds = derive_crds(source_dir, out_dir)
    derive_main(source_dir, project)
    kinds = ", ".join(("%s/%s %s" % (g, v, k)) if g else ("%s %s" % (v, k)) for g, v, k in KINDS)
    with open(os.path.join(out_dir, "SOURCE.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(SOURCE_MD.format(kinds=kinds, crd_count=crds))
    total = 0
    for dirpath, _, filenames in os.walk(out_dir):
        total += sum(os.path.getsize(os.path.join(dirpath, n)) for n in filenames)
    print("derive-k8s-schemas: %d definitions for %d kinds, %d CRD schemas, %d KiB in %s"
          % (definitions, len(KINDS), crds, total // 1024, os.path.relpath(out_dir, project)))


if __name__ == "__main__":
    main(sys.argv)
