#!/usr/bin/env bash
# Seeds the fuzz corpora: the IR text of every golden test (its input and
# its expected graph, as separate files), and expressions from the `ndjit`
# tool's tests and help. Run from anywhere; files are named by content
# hash, as libFuzzer names the inputs it adds.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/ir_text corpus/cli_expression
save() { # save DIR < content
    local tmp; tmp=$(mktemp)
    cat > "$tmp"
    mv "$tmp" "$1/$(sha1sum "$tmp" | cut -c1-40)"
}
for file in ../tests/filetests/*.ir; do
    # The input: from the `graph(` line to the separator.
    awk '/^graph\(/{on=1} /^; expect:/{exit} on' "$file" | save corpus/ir_text
    # The expectation, when it is a graph.
    awk 'seen && /^graph\(/{on=1} /^; expect:/{seen=1} on' "$file" | save corpus/ir_text
done
while IFS= read -r expression; do
    printf '%s' "$expression" | save corpus/cli_expression
done <<'EXPRESSIONS'
exp(-x*x)*sin(y)+cos(z)
where(x > 0, sqrt(x), 0.0)
sum(x * y, axis=1) / std(x, axis=(0, 1), ddof=1)
x[1:3, ::-1].T + reshape(y, (2, 3))[:, None]
exp(x - max(x, 1)[:, None]) / sum(exp(x - max(x, 1)[:, None]), 1)[:, None]
concatenate((x[1:] - x[:-1], 2*x), 0)
stack((x, y), axis=-1)
-x**2 // 3 % 2 ** -y
(a > 0) & (b <= 1) | (c == 2) != d
mul_add(x, 2.5e-3, .5)
argmax(m, axis=None) + argmin(m, -1)
transpose(m, (1, 0))[0, None, ::2]
maximum(a, b,) - minimum(a, 1) * atan2(b, a)
var(x, axis=0, ddof=0) < mean(x) >= 1
x.T[0] ** 2 + (1, 2) + () + (3,)
EXPRESSIONS
