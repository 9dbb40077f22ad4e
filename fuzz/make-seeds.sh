#!/usr/bin/env bash
# Writes the fuzzers' seed inputs into fuzz/seeds/TARGET/: a few valid and nearly valid
# examples of each input, so that every run starts from the interesting shapes (xtask's Fuzz
# suite passes them to libFuzzer after its own corpus). Needs only printf, head and gzip.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf seeds && mkdir -p seeds/idx seeds/init seeds/settings

# idx: the first byte splits the rest into an image file and a label file.
images() { printf '\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x1c\x00\x00\x00\x1c'; head -c 1568 /dev/zero | tr '\0' '\7'; }
labels() { printf '\x00\x00\x08\x01\x00\x00\x00\x02\x03\x09'; }
# pair NAME IMAGES LABELS: the split byte s with ⌊s·(a+b)/255⌋ = a, then both files.
pair() {
  local a b
  a=$(wc -c < "$2"); b=$(wc -c < "$3")
  { printf "\\$(printf '%03o' $(( (a * 255 + a + b - 1) / (a + b) )))"; cat "$2" "$3"; } > "seeds/idx/$1"
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
images > "$tmp/i"; labels > "$tmp/l"; gzip -nc "$tmp/i" > "$tmp/i.gz"; gzip -nc "$tmp/l" > "$tmp/l.gz"
{ cat "$tmp/i.gz"; head -c 16 /dev/zero; } > "$tmp/i-padded.gz"
pair raw-pair "$tmp/i" "$tmp/l"
pair gzip-pair "$tmp/i.gz" "$tmp/l.gz"
pair padded-gzip-and-raw "$tmp/i-padded.gz" "$tmp/l"
{ images | head -c 800 | gzip -n; images | tail -c +801 | gzip -n; } > seeds/idx/two-members
{ labels | gzip -n; printf 'junk'; } > seeds/idx/junk-after-gzip
{ labels | gzip -n | head -c 20; } > seeds/idx/cut-gzip
printf '\x00\x00\x08\x03\xff\xff\xff\xff\x00\x00\x00\x1c\x00\x00\x00\x1c' > seeds/idx/huge-count
printf 'PK\x03\x04' > seeds/idx/zip

# init: ids as --init and URLs take them.
i=0
for id in zeros he-normal uniform:-0.1:0.1 normal:0.05 constant:0 uniform:-3e38:3e38 normal:2e37 \
          normal:0 constant:1e39 uniform:0:1e-50 'uniform: 1:2' uniform::1 uniform:1:0:2 normal:nan; do
  printf '%s' "$id" > "seeds/init/$((i++))"
done

# settings: 60,000 images of 784 pixels, 6 models, then the page's JSON.
shape() { printf '\x60\xea\x00\x00\x10\x03\x06'; }
{ shape; printf '{}'; } > seeds/settings/lesson
{ shape; printf '{"epochs":2,"batch_size":100,"lr":0.001,"optimizer":"adam","dropout":0.2,"hidden":[256,128],"seed":0,"eval_every":120,"dropout_at_eval":false,"val_fraction":0.2}'; } > seeds/settings/full
{ shape; printf '{"batch_size":1000000000}'; } > seeds/settings/huge-batch
{ shape; printf '{"hidden":[1048576,3],"epochs":100,"batch_size":1}'; } > seeds/settings/huge-layer
{ shape; printf '{"val_fraction":0.99999,"lr":1e-30,"dropout":0.999}'; } > seeds/settings/edges
