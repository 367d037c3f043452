;; Lehmer's steps on 28-bit limbs: gcd (rational.ts) and rational reconstruction (dixon.ts).
;; A part of the kernels module (scripts/wasm.ts wraps the parts in one module).

;; 62 bits of the number at $X ($len 28-bit limbs in i32 slots, little-endian) from bit $shift on.
(func $window (param $X i32) (param $len i32) (param $shift i32) (result i64)
  (local $j i32) (local $e i32) (local $w i64) (local $limb i64)
  (local.set $j (i32.div_u (local.get $shift) (i32.const 28)))
  (local.set $e (i32.sub (i32.const 0) (i32.rem_u (local.get $shift) (i32.const 28))))
  (block $done (loop $limbs
    (br_if $done (i32.ge_u (local.get $j) (local.get $len)))
    (br_if $done (i32.ge_s (local.get $e) (i32.const 62)))
    (local.set $limb (i64.load32_u (i32.add (local.get $X) (i32.shl (local.get $j) (i32.const 2)))))
    (local.set $w (i64.or (local.get $w)
      (if (result i64) (i32.ge_s (local.get $e) (i32.const 0))
        (then (i64.shl (local.get $limb) (i64.extend_i32_u (local.get $e))))
        (else (i64.shr_u (local.get $limb) (i64.extend_i32_u (i32.sub (i32.const 0) (local.get $e))))))))
    (local.set $j (i32.add (local.get $j) (i32.const 1)))
    (local.set $e (i32.add (local.get $e) (i32.const 28)))
    (br $limbs)))
  (local.get $w))

;; Euclid on the 62-bit windows x >= y with Knuth's test (a quotient is taken only when both
;; bounds of the true one agree) and cofactors below 2^32: (a, b, c, d) with
;; (x', y') = (a x + b y, c x + d y), and the number of quotients taken. b = 0: none.
(func $cofactors (param $x i64) (param $y i64) (result i64 i64 i64 i64 i32)
  (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $q i64) (local $t i64) (local $u i64)
  (local $v i64) (local $j i32)
  (local.set $a (i64.const 1)) (local.set $d (i64.const 1))
  (block $done (loop $euclid
    (br_if $done (i64.le_s (i64.add (local.get $y) (local.get $c)) (i64.const 0)))
    (br_if $done (i64.le_s (i64.add (local.get $y) (local.get $d)) (i64.const 0)))
    (br_if $done (i64.lt_s (i64.add (local.get $x) (local.get $a)) (i64.const 0)))
    (br_if $done (i64.lt_s (i64.add (local.get $x) (local.get $b)) (i64.const 0)))
    (local.set $q (i64.div_s (i64.add (local.get $x) (local.get $a)) (i64.add (local.get $y) (local.get $c))))
    (br_if $done (i64.ne (local.get $q) (i64.div_s (i64.add (local.get $x) (local.get $b)) (i64.add (local.get $y) (local.get $d)))))
    ;; q < 2^30 and new cofactors below 2^32 in magnitude, else stop before this quotient
    (br_if $done (i64.gt_u (local.get $q) (i64.const 0x3fffffff)))
    (local.set $t (i64.sub (local.get $a) (i64.mul (local.get $q) (local.get $c))))
    (local.set $u (i64.sub (local.get $b) (i64.mul (local.get $q) (local.get $d))))
    (br_if $done (i64.ge_u (i64.add (local.get $t) (i64.const 0xffffffff)) (i64.const 0x1fffffffe)))
    (br_if $done (i64.ge_u (i64.add (local.get $u) (i64.const 0xffffffff)) (i64.const 0x1fffffffe)))
    (local.set $a (local.get $c)) (local.set $c (local.get $t))
    (local.set $b (local.get $d)) (local.set $d (local.get $u))
    (local.set $v (i64.sub (local.get $x) (i64.mul (local.get $q) (local.get $y))))
    (local.set $x (local.get $y))
    (local.set $y (local.get $v))
    (local.set $j (i32.add (local.get $j) (i32.const 1)))
    (br $euclid)))
  (local.get $a) (local.get $b) (local.get $c) (local.get $d) (local.get $j))

;; (X', Y') = (a X + b Y, c X + d Y) limb by limb with signed carries over $len limbs (X and Y
;; read as 0 past $lx and $ly), written to $OX and $OY (which may be X and Y: each limb is
;; read before it is written). |cofactors| < 2^32 keeps every sum below 2^62.
(func $combine (param $X i32) (param $Y i32) (param $lx i32) (param $ly i32) (param $len i32)
  (param $a i64) (param $b i64) (param $c i64) (param $d i64) (param $OX i32) (param $OY i32)
  (local $i i32) (local $xi i64) (local $yi i64) (local $tx i64) (local $ty i64) (local $cx i64) (local $cy i64)
  (block $done (loop $limbs
    (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
    (local.set $xi (if (result i64) (i32.lt_u (local.get $i) (local.get $lx))
      (then (i64.load32_u (i32.add (local.get $X) (i32.shl (local.get $i) (i32.const 2))))) (else (i64.const 0))))
    (local.set $yi (if (result i64) (i32.lt_u (local.get $i) (local.get $ly))
      (then (i64.load32_u (i32.add (local.get $Y) (i32.shl (local.get $i) (i32.const 2))))) (else (i64.const 0))))
    (local.set $tx (i64.add (local.get $cx) (i64.add (i64.mul (local.get $a) (local.get $xi)) (i64.mul (local.get $b) (local.get $yi)))))
    (local.set $ty (i64.add (local.get $cy) (i64.add (i64.mul (local.get $c) (local.get $xi)) (i64.mul (local.get $d) (local.get $yi)))))
    (i64.store32 (i32.add (local.get $OX) (i32.shl (local.get $i) (i32.const 2))) (i64.and (local.get $tx) (i64.const 0xfffffff)))
    (i64.store32 (i32.add (local.get $OY) (i32.shl (local.get $i) (i32.const 2))) (i64.and (local.get $ty) (i64.const 0xfffffff)))
    (local.set $cx (i64.shr_s (local.get $tx) (i64.const 28)))
    (local.set $cy (i64.shr_s (local.get $ty) (i64.const 28)))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $limbs))))

;; The length of the number at $X without its top zero limbs.
(func $strip (param $X i32) (param $len i32) (result i32)
  (block $done (loop $top
    (br_if $done (i32.eqz (local.get $len)))
    (br_if $done (i32.ne (i32.load (i32.add (local.get $X) (i32.shl (i32.sub (local.get $len) (i32.const 1)) (i32.const 2)))) (i32.const 0)))
    (local.set $len (i32.sub (local.get $len) (i32.const 1)))
    (br $top)))
  (local.get $len))

;; Bits of the number at $X ($len limbs, top limb nonzero).
(func $bits (param $X i32) (param $len i32) (result i32)
  (if (result i32) (i32.eqz (local.get $len)) (then (i32.const 0))
    (else (i32.add (i32.mul (i32.sub (local.get $len) (i32.const 1)) (i32.const 28))
      (i32.sub (i32.const 32) (i32.clz (i32.load (i32.add (local.get $X) (i32.shl (i32.sub (local.get $len) (i32.const 1)) (i32.const 2))))))))))

;; The windows of a >= b: the top 62 bits of a and the same bits of b.
(func $windows (param $A i32) (param $la i32) (param $B i32) (param $lb i32) (result i64 i64)
  (local $shift i32)
  (local.set $shift (i32.sub (call $bits (local.get $A) (local.get $la)) (i32.const 62)))
  (if (i32.lt_s (local.get $shift) (i32.const 0)) (then (local.set $shift (i32.const 0))))
  (call $window (local.get $A) (local.get $la) (local.get $shift))
  (call $window (local.get $B) (local.get $lb) (local.get $shift)))

;; The number at $X ($len limbs) mod m for 0 < m < 2^56, 7 bits at a time (r 2^7 < 2^63).
(func $modSmall (param $X i32) (param $len i32) (param $m i64) (result i64)
  (local $r i64) (local $limb i64) (local $k i32)
  (block $done (loop $limbs
    (br_if $done (i32.eqz (local.get $len)))
    (local.set $len (i32.sub (local.get $len) (i32.const 1)))
    (local.set $limb (i64.load32_u (i32.add (local.get $X) (i32.shl (local.get $len) (i32.const 2)))))
    (local.set $k (i32.const 21))
    (block $chunks_done (loop $chunks
      (br_if $chunks_done (i32.lt_s (local.get $k) (i32.const 0)))
      (local.set $r (i64.rem_u
        (i64.or (i64.shl (local.get $r) (i64.const 7))
          (i64.and (i64.shr_u (local.get $limb) (i64.extend_i32_u (local.get $k))) (i64.const 127)))
        (local.get $m)))
      (local.set $k (i32.sub (local.get $k) (i32.const 7)))
      (br $chunks)))
    (br $limbs)))
  (local.get $r))

;; The number at $X (at most 2 limbs) as an i64.
(func $small (param $X i32) (param $len i32) (result i64)
  (i64.or
    (if (result i64) (local.get $len) (then (i64.load32_u (local.get $X))) (else (i64.const 0)))
    (if (result i64) (i32.gt_u (local.get $len) (i32.const 1))
      (then (i64.shl (i64.load32_u offset=4 (local.get $X)) (i64.const 28))) (else (i64.const 0)))))

;; gcd(a, b) for a >= b (limbs at $A and $B, lengths at $hdr and $hdr + 4): Lehmer steps
;; while b has 3 or more limbs, then a mod b and Euclid in i64. Returns 0 with the gcd at
;; $hdr + 8 (an i64 below 2^56), or 1 when a step finds no quotient (limbs and lengths
;; updated: the caller divides once and calls again).
(func (export "lehmerGcd") (param $hdr i32) (param $A i32) (param $B i32) (result i32)
  (local $la i32) (local $lb i32) (local $x i64) (local $y i64)
  (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $j i32)
  (local.set $la (i32.load (local.get $hdr)))
  (local.set $lb (i32.load offset=4 (local.get $hdr)))
  (block $small (loop $steps
    (local.set $la (call $strip (local.get $A) (local.get $la)))
    (local.set $lb (call $strip (local.get $B) (local.get $lb)))
    (i32.store (local.get $hdr) (local.get $la))
    (i32.store offset=4 (local.get $hdr) (local.get $lb))
    (br_if $small (i32.le_u (local.get $lb) (i32.const 2)))
    (call $windows (local.get $A) (local.get $la) (local.get $B) (local.get $lb))
    (local.set $y) (local.set $x)
    (call $cofactors (local.get $x) (local.get $y))
    (local.set $j) (local.set $d) (local.set $c) (local.set $b) (local.set $a)
    (if (i64.eqz (local.get $b)) (then (return (i32.const 1))))
    (call $combine (local.get $A) (local.get $B) (local.get $la) (local.get $lb) (local.get $la)
      (local.get $a) (local.get $b) (local.get $c) (local.get $d) (local.get $A) (local.get $B))
    (local.set $lb (local.get $la))
    (br $steps)))
  ;; b < 2^56: (a, b) <- (b, a mod b), then Euclid on i64
  (local.set $y (call $small (local.get $B) (local.get $lb)))
  (if (i64.eqz (local.get $y)) (then
    (if (i32.gt_u (local.get $la) (i32.const 2)) (then (return (i32.const 1)))) ;; gcd(a, 0) = a: long
    (i64.store offset=8 (local.get $hdr) (call $small (local.get $A) (local.get $la)))
    (return (i32.const 0))))
  (local.set $x (call $modSmall (local.get $A) (local.get $la) (local.get $y)))
  (block $euclid_done (loop $euclid
    (br_if $euclid_done (i64.eqz (local.get $x)))
    (local.set $a (i64.rem_u (local.get $y) (local.get $x)))
    (local.set $y (local.get $x))
    (local.set $x (local.get $a))
    (br $euclid)))
  (i64.store offset=8 (local.get $hdr) (local.get $y))
  (i32.const 0))

;; Wang's reconstruction (dixon.ts reconstruct) by Lehmer steps: r0 > r1 at $R0, $R1 and the
;; magnitudes of the cofactors t0, t1 at $T0, $T1 (their signs alternate along Euclid, so
;; |t'| = |a||t0| + |b||t1| adds magnitudes); header at $hdr: lengths of r0, r1, t0, t1 and
;; the parity of the quotients taken. A step is computed into $S0, $S1 and kept only while
;; r1 stays above 2^h. Returns 0 when r1 has at most 2 limbs or is at most 2^h, 1 when a
;; step finds no quotient, 2 when the next step would cross 2^h (the caller goes on one
;; quotient at a time).
(func (export "lehmerHalf") (param $hdr i32) (param $R0 i32) (param $R1 i32) (param $T0 i32) (param $T1 i32)
  (param $S0 i32) (param $S1 i32) (param $h i32) (result i32)
  (local $l0 i32) (local $l1 i32) (local $lt0 i32) (local $lt1 i32) (local $lt i32) (local $x i64) (local $y i64)
  (local $a i64) (local $b i64) (local $c i64) (local $d i64) (local $j i32)
  (local.set $l0 (i32.load (local.get $hdr)))
  (local.set $l1 (i32.load offset=4 (local.get $hdr)))
  (local.set $lt0 (i32.load offset=8 (local.get $hdr)))
  (local.set $lt1 (i32.load offset=12 (local.get $hdr)))
  (loop $steps
    (local.set $l0 (call $strip (local.get $R0) (local.get $l0)))
    (local.set $l1 (call $strip (local.get $R1) (local.get $l1)))
    (local.set $lt0 (call $strip (local.get $T0) (local.get $lt0)))
    (local.set $lt1 (call $strip (local.get $T1) (local.get $lt1)))
    (i32.store (local.get $hdr) (local.get $l0))
    (i32.store offset=4 (local.get $hdr) (local.get $l1))
    (i32.store offset=8 (local.get $hdr) (local.get $lt0))
    (i32.store offset=12 (local.get $hdr) (local.get $lt1))
    (if (i32.le_u (local.get $l1) (i32.const 2)) (then (return (i32.const 0))))
    (if (i32.eqz (call $above (local.get $R1) (local.get $l1) (local.get $h))) (then (return (i32.const 0))))
    (call $windows (local.get $R0) (local.get $l0) (local.get $R1) (local.get $l1))
    (local.set $y) (local.set $x)
    (call $cofactors (local.get $x) (local.get $y))
    (local.set $j) (local.set $d) (local.set $c) (local.set $b) (local.set $a)
    (if (i64.eqz (local.get $b)) (then (return (i32.const 1))))
    (call $combine (local.get $R0) (local.get $R1) (local.get $l0) (local.get $l1) (local.get $l0)
      (local.get $a) (local.get $b) (local.get $c) (local.get $d) (local.get $S0) (local.get $S1))
    (if (i32.eqz (call $above (local.get $S1) (call $strip (local.get $S1) (local.get $l0)) (local.get $h)))
      (then (return (i32.const 2))))
    (memory.copy (local.get $R0) (local.get $S0) (i32.shl (local.get $l0) (i32.const 2)))
    (memory.copy (local.get $R1) (local.get $S1) (i32.shl (local.get $l0) (i32.const 2)))
    (local.set $l1 (local.get $l0))
    ;; the cofactors' magnitudes grow by at most 32 bits: two more limbs
    (local.set $lt (i32.add (select (local.get $lt0) (local.get $lt1) (i32.gt_u (local.get $lt0) (local.get $lt1))) (i32.const 2)))
    (call $combine (local.get $T0) (local.get $T1) (local.get $lt0) (local.get $lt1) (local.get $lt)
      (call $abs (local.get $a)) (call $abs (local.get $b)) (call $abs (local.get $c)) (call $abs (local.get $d))
      (local.get $T0) (local.get $T1))
    (local.set $lt0 (local.get $lt))
    (local.set $lt1 (local.get $lt))
    (i32.store offset=16 (local.get $hdr) (i32.xor (i32.load offset=16 (local.get $hdr)) (i32.and (local.get $j) (i32.const 1))))
    (br $steps))
  (i32.const 0))

(func $abs (param $v i64) (result i64)
  (select (i64.sub (i64.const 0) (local.get $v)) (local.get $v) (i64.lt_s (local.get $v) (i64.const 0))))

;; Is the number at $X ($len limbs, top limb nonzero) above 2^h?
(func $above (param $X i32) (param $len i32) (param $h i32) (result i32)
  (local $bits i32) (local $i i32)
  (local.set $bits (call $bits (local.get $X) (local.get $len)))
  (if (i32.gt_s (local.get $bits) (i32.add (local.get $h) (i32.const 1))) (then (return (i32.const 1))))
  (if (i32.lt_s (local.get $bits) (i32.add (local.get $h) (i32.const 1))) (then (return (i32.const 0))))
  ;; bits = h + 1: above 2^h unless it is 2^h itself (every lower bit 0)
  (if (i32.ne (i32.load (i32.add (local.get $X) (i32.shl (i32.sub (local.get $len) (i32.const 1)) (i32.const 2))))
    (i32.shl (i32.const 1) (i32.rem_u (local.get $h) (i32.const 28))))
    (then (return (i32.const 1))))
  (block $done (loop $lower
    (br_if $done (i32.ge_u (local.get $i) (i32.sub (local.get $len) (i32.const 1))))
    (if (i32.load (i32.add (local.get $X) (i32.shl (local.get $i) (i32.const 2)))) (then (return (i32.const 1))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $lower)))
  (i32.const 0))
