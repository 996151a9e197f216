"""Prints the bits of 2/π that trig's large-argument reduction reads
(`reduction.rs`, beside this file, holds the output as `TWO_OVER_PI_BITS`).

Run with `python3 ir/src/math/reduction_table.py` (needs `mpmath`). The
table is 2/π in binary, most significant bit first, in 64-bit words, after
one word of zeros: word 1 starts with the bit worth 2^-1. 21 words cover the
largest double (see `reduction.rs` for why).
"""

from mpmath import mp, mpf, pi, floor

WORDS = 21
mp.prec = 64 * WORDS + 200

# floor(2/π · 2^(64·(WORDS - 1))): the bits from 2^-1 down, as one integer.
bits = int(floor(2 / pi * mpf(2) ** (64 * (WORDS - 1))))
words = [0] + [(bits >> (64 * (WORDS - 2 - i))) & (2**64 - 1) for i in range(WORDS - 1)]

print(f"const TWO_OVER_PI_BITS: [u64; {WORDS}] = [")
for w in words:
    print(f"    0x{w:016x},")
print("];")
