#!/usr/bin/env python3
"""Validates Kubernetes manifests against the CRDs in ../shared/schemas (qa68): unknown fields refused.

Usage: python3 bench/qa68-validate-manifests.py examples/argo-rollouts/*.yaml examples/flagger/*.yaml
Needs PyYAML and jsonschema. Objects without x-kubernetes-preserve-unknown-fields are closed, so a misspelt field
(successConditon) is an error, as the API server would prune it silently. Built-in kinds (Service, Deployment) are
listed as not checked."""
import glob
import os
import sys

import jsonschema
import yaml

crds = {}
for f in glob.glob(os.environ.get('CRD_DIR', '../shared/schemas') + '/*.yaml'):
    for d in yaml.safe_load_all(open(f)):
        if not d or d.get('kind') != 'CustomResourceDefinition': continue
        kind = d['spec']['names']['kind']; group = d['spec']['group']
        for v in d['spec']['versions']:
            crds[(group + '/' + v['name'], kind)] = v['schema']['openAPIV3Schema']
def strict(s):
    # k8s structural schema: unknown fields are pruned; mark objects without x-preserve as additionalProperties false to find typos
    if isinstance(s, dict):
        if s.get('type') == 'object' and 'properties' in s and not s.get('x-kubernetes-preserve-unknown-fields') and 'additionalProperties' not in s:
            s['additionalProperties'] = False
        for k, v in list(s.items()):
            if k == 'x-kubernetes-int-or-string': 
                s.pop('type', None)
            strict(v)
    elif isinstance(s, list):
        for x in s: strict(x)
    return s
for f in sys.argv[1:]:
    for d in yaml.safe_load_all(open(f)):
        if not d: continue
        key = (d['apiVersion'], d['kind'])
        if key not in crds:
            print(f, key, 'no CRD (builtin?)'); continue
        sch = strict(yaml.safe_load(yaml.safe_dump(crds[key])))
        sch.setdefault('properties', {})['metadata'] = {'type': 'object'}
        errs = list(jsonschema.Draft7Validator(sch).iter_errors(d))
        print(f, d['kind'], d['metadata'].get('name'), 'OK' if not errs else '')
        for e in errs: print('   ', list(e.absolute_path), e.message[:300])
