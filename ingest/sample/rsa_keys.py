"""RSA keys that depend only on a seed, for a reproducible test PKI.

``cryptography`` cannot seed its key generator, so the primes are found here: random odd
candidates of the right size from ``random.Random(seed)``, sieved by small primes and then
tested with Miller–Rabin. These keys are for tests only; a seeded generator is exactly what a
real key must never use.
"""

from __future__ import annotations

import math
import random

from cryptography.hazmat.primitives.asymmetric import rsa

PUBLIC_EXPONENT = 65537
_SMALL_PRIMES = [n for n in range(3, 2000, 2) if all(n % d for d in range(3, math.isqrt(n) + 1, 2))]
_MILLER_RABIN_ROUNDS = 40


def deterministic_rsa_key(seed: str, bits: int = 2048) -> rsa.RSAPrivateKey:
    rng = random.Random(f"rsa/{bits}/{seed}")
    while True:
        p = _prime(rng, bits // 2)
        q = _prime(rng, bits - bits // 2)
        if p != q and (p * q).bit_length() == bits:
            break
    p, q = max(p, q), min(p, q)
    d = pow(PUBLIC_EXPONENT, -1, math.lcm(p - 1, q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=rsa.rsa_crt_dmp1(d, p),
        dmq1=rsa.rsa_crt_dmq1(d, q),
        iqmp=rsa.rsa_crt_iqmp(p, q),
        public_numbers=rsa.RSAPublicNumbers(PUBLIC_EXPONENT, p * q),
    )
    return numbers.private_key()


def _prime(rng: random.Random, bits: int) -> int:
    while True:
        # Top two bits set so that the product of two such primes has exactly 2 × bits bits.
        candidate = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if any(candidate % small == 0 for small in _SMALL_PRIMES):
            continue
        if (candidate - 1) % PUBLIC_EXPONENT == 0:
            continue
        if _is_probable_prime(candidate, rng):
            return candidate


def _is_probable_prime(n: int, rng: random.Random) -> bool:
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(_MILLER_RABIN_ROUNDS):
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True
