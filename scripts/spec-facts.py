#!/usr/bin/env python3
"""Extract the checkable facts of thanks.io's published OpenAPI spec into a small JSON file.

The output (paths, methods, whether a token is needed, path/query/body parameters with
"required", types and enums, and whether each success answer is a flat object, wrapped in
"data" or a list) is what src-tauri/crates/core/tests/spec_facts.rs compares the endpoint
catalog and the mailers against. Only the output is committed, never the spec.

No network. Either give the spec file and say where it came from:

    scripts/spec-facts.py SPEC.json --commit SHA [--date YYYY-MM-DD] > facts.json

or let the script read it from a clone of thanks-io/thanks.io-api-docs with git:

    scripts/spec-facts.py --git-dir PATH/TO/REPO [--rev HEAD] > facts.json
"""

import argparse
import json
import subprocess
import sys

SPEC_PATH = "api-reference/openapi.json"
METHODS = ("get", "post", "put", "patch", "delete")


def resolve(spec, node, seen=()):
    """Follows $ref and merges allOf, so a schema reads as one object."""
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            return {}
        target = spec
        for part in ref.lstrip("#/").split("/"):
            target = target[part]
        return resolve(spec, target, seen + (ref,))
    if "allOf" in node:
        merged = {"type": "object", "properties": {}, "required": []}
        for part in node["allOf"]:
            part = resolve(spec, part, seen)
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        return merged
    return node


def type_of(schema):
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    return t


def alternatives(schema):
    """The `required` lists of an anyOf/oneOf (e.g. "by address" or "by email")."""
    return [set(alt.get("required", [])) for alt in schema.get("anyOf", schema.get("oneOf", []))]


def body_params(spec, schema):
    """Top-level properties (read-only ones are answers, not parameters), plus one level of
    nested object properties as `parent.child`. A name every alternative requires is required."""
    params = {}
    required = set(schema.get("required", []))
    alts = alternatives(schema)
    if alts:
        required |= set.intersection(*alts)
    for name, raw in sorted(schema.get("properties", {}).items()):
        prop = resolve(spec, raw)
        if raw.get("readOnly") or prop.get("readOnly"):
            continue
        fact = {"type": type_of(prop), "required": name in required}
        if "enum" in prop:
            fact["enum"] = prop["enum"]
        params[name] = fact
        if type_of(prop) == "object":
            inner_required = set(prop.get("required", []))
            for child, cprop in sorted(prop.get("properties", {}).items()):
                cprop = resolve(spec, cprop)
                cfact = {"type": type_of(cprop), "required": child in inner_required}
                if "enum" in cprop:
                    cfact["enum"] = cprop["enum"]
                params[f"{name}.{child}"] = cfact
    return params


def response_shape(spec, response):
    """"data" (wrapped), "array", "flat" (an object), or null when the spec shows no JSON."""
    response = resolve(spec, response)
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    schema = resolve(spec, schema)
    if type_of(schema) == "array":
        return "array"
    if "data" in schema.get("properties", {}):
        return "data"
    return "flat"


def parameters(spec, path_item, op):
    found = {}
    for p in path_item.get("parameters", []) + op.get("parameters", []):
        p = resolve(spec, p)
        fact = {"required": bool(p.get("required"))}
        schema = resolve(spec, p.get("schema", {}))
        if "enum" in schema:
            fact["enum"] = schema["enum"]
        found[(p["in"], p["name"])] = fact
    return found


def extract(spec):
    default_auth = bool(spec.get("security"))
    endpoints = []
    for path, item in sorted(spec["paths"].items()):
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            security = op.get("security", spec.get("security", []))
            auth = any("bearerAuth" in s for s in security) if security else False
            if "security" not in op:
                auth = default_auth
            params = parameters(spec, item, op)
            entry = {
                "method": method.upper(),
                "path": path,
                "auth": auth,
                "path_params": sorted(n for (w, n) in params if w == "path"),
                "query_params": {
                    n: f for (w, n), f in sorted(params.items()) if w == "query"
                },
            }
            body = op.get("requestBody")
            if body is not None:
                schema = resolve(spec, body).get("content", {}).get("application/json", {}).get("schema")
                if schema is not None:
                    schema = resolve(spec, schema)
                    is_array = type_of(schema) == "array"
                    if is_array:
                        schema = resolve(spec, schema.get("items", {}))
                    entry["body"] = {"array": is_array, "params": body_params(spec, schema)}
                    alts = alternatives(schema)
                    if alts:
                        common = set.intersection(*alts)
                        entry["body"]["one_of"] = [sorted(a - common) for a in alts]
            entry["responses"] = {
                code: response_shape(spec, r) for code, r in sorted(op.get("responses", {}).items())
            }
            endpoints.append(entry)
    return endpoints


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("spec", nargs="?", help="the openapi.json file")
    ap.add_argument("--commit", help="the docs repository commit the file comes from")
    ap.add_argument("--date", help="that commit's date")
    ap.add_argument("--git-dir", help="a clone of thanks-io/thanks.io-api-docs (read with git)")
    ap.add_argument("--rev", default="HEAD", help="the revision to read with --git-dir")
    a = ap.parse_args()
    if a.git_dir:
        git = ["git", "--git-dir" if a.git_dir.endswith(("repo", ".git")) else "-C", a.git_dir]
        commit = subprocess.check_output(git + ["rev-parse", a.rev], text=True).strip()
        date = subprocess.check_output(git + ["log", "-1", "--format=%cs", commit], text=True).strip()
        text = subprocess.check_output(git + ["show", f"{commit}:{SPEC_PATH}"], text=True)
    elif a.spec and a.commit:
        commit, date = a.commit, a.date
        with open(a.spec, encoding="utf-8") as f:
            text = f.read()
    else:
        ap.error("give SPEC.json with --commit, or --git-dir")
    spec = json.loads(text)
    facts = {
        "_comment": "Generated by scripts/spec-facts.py from thanks.io's published OpenAPI spec; "
        "don't edit by hand, run the script again.",
        "source": {
            "repository": "thanks-io/thanks.io-api-docs",
            "path": SPEC_PATH,
            "commit": commit,
            "date": date,
            "bytes": len(text.encode("utf-8")),
        },
        "endpoints": extract(spec),
    }
    json.dump(facts, sys.stdout, indent=1, sort_keys=False, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
