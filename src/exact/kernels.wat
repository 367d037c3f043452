;; The exact engine's inner loops in WebAssembly (src/exact/wasm.ts loads them; scripts/wasm.ts
;; compiles this file into src/exact/kernelsWasm.ts). JS has no 64-bit popcount and no SIMD:
;; here the sign Gram counts 64 entries an instruction and the p-adic lifting's dot products
;; run two doubles a lane. Exactness is the JS kernels' argument, unchanged: every double here
;; holds an integer below 2^53 at every partial sum, so the order of the additions is free.
;; Addresses are byte offsets into the exported memory; the caller lays the arrays out.
(module
  (memory (export "mem") 1)

  ;; ---- sign rows (src/exact/intGram.ts) ----

  ;; Rows of n × d doubles in {-1, 0, 1} at $src into bit masks of W = ceil(d / 64) words a row:
  ;; Z the nonzero entries, S the negative ones. Returns 1 when some entry is 0.
  (func (export "packSigns") (param $src i32) (param $n i32) (param $d i32) (param $Z i32) (param $S i32)
    (result i32)
    (local $i i32) (local $w i32) (local $W i32) (local $b i32) (local $end i32) (local $at i32)
    (local $z i64) (local $s i64) (local $v v128) (local $e f64) (local $nonzero i64) (local $row i32)
    (local.set $W (i32.shr_u (i32.add (local.get $d) (i32.const 63)) (i32.const 6)))
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $row (i32.add (local.get $src) (i32.shl (i32.mul (local.get $i) (local.get $d)) (i32.const 3))))
      (local.set $w (i32.const 0))
      (block $words_done (loop $words
        (br_if $words_done (i32.ge_u (local.get $w) (local.get $W)))
        (local.set $end (i32.sub (local.get $d) (i32.shl (local.get $w) (i32.const 6))))
        (if (i32.gt_u (local.get $end) (i32.const 64)) (then (local.set $end (i32.const 64))))
        (local.set $at (i32.add (local.get $row) (i32.shl (local.get $w) (i32.const 9))))
        (local.set $z (i64.const 0))
        (local.set $s (i64.const 0))
        (local.set $b (i32.const 0))
        ;; two entries at a time: the lane masks' bitmask is two bits
        (block $pairs_done (loop $pairs
          (br_if $pairs_done (i32.gt_u (i32.add (local.get $b) (i32.const 2)) (local.get $end)))
          (local.set $v (v128.load (i32.add (local.get $at) (i32.shl (local.get $b) (i32.const 3)))))
          (local.set $z (i64.or (local.get $z) (i64.shl
            (i64.extend_i32_u (i64x2.bitmask (f64x2.ne (local.get $v) (f64x2.splat (f64.const 0)))))
            (i64.extend_i32_u (local.get $b)))))
          (local.set $s (i64.or (local.get $s) (i64.shl
            (i64.extend_i32_u (i64x2.bitmask (f64x2.lt (local.get $v) (f64x2.splat (f64.const 0)))))
            (i64.extend_i32_u (local.get $b)))))
          (local.set $b (i32.add (local.get $b) (i32.const 2)))
          (br $pairs)))
        (if (i32.lt_u (local.get $b) (local.get $end)) (then
          (local.set $e (f64.load (i32.add (local.get $at) (i32.shl (local.get $b) (i32.const 3)))))
          (local.set $z (i64.or (local.get $z) (i64.shl
            (i64.extend_i32_u (f64.ne (local.get $e) (f64.const 0))) (i64.extend_i32_u (local.get $b)))))
          (local.set $s (i64.or (local.get $s) (i64.shl
            (i64.extend_i32_u (f64.lt (local.get $e) (f64.const 0))) (i64.extend_i32_u (local.get $b)))))))
        (i64.store (i32.add (local.get $Z) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $W)) (local.get $w)) (i32.const 3))) (local.get $z))
        (i64.store (i32.add (local.get $S) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $W)) (local.get $w)) (i32.const 3))) (local.get $s))
        (local.set $nonzero (i64.add (local.get $nonzero) (i64.popcnt (local.get $z))))
        (local.set $w (i32.add (local.get $w) (i32.const 1)))
        (br $words)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
    (i64.lt_u (local.get $nonzero) (i64.mul (i64.extend_i32_u (local.get $n)) (i64.extend_i32_u (local.get $d)))))

  ;; The Gram of the packed rows into $out (n × n doubles, upper triangle k >= i):
  ;; <a, b> = |Za & Zb| - 2 |Za & Zb & (Sa ^ Sb)|, or d - 2 |Sa ^ Sb| when no entry is 0.
  (func (export "signGram") (param $Z i32) (param $S i32) (param $n i32) (param $d i32) (param $zeros i32) (param $out i32)
    (local $i i32) (local $k i32) (local $t i32) (local $W i32) (local $a i32) (local $b i32)
    (local $both i64) (local $neg i64) (local $m i64) (local $both2 i64)
    (local.set $W (i32.shr_u (i32.add (local.get $d) (i32.const 63)) (i32.const 6)))
    (block $i_done (loop $i_loop
      (br_if $i_done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $k (local.get $i))
      (block $k_done (loop $k_loop
        (br_if $k_done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $a (i32.shl (i32.mul (local.get $i) (local.get $W)) (i32.const 3)))
        (local.set $b (i32.shl (i32.mul (local.get $k) (local.get $W)) (i32.const 3)))
        (local.set $both (i64.const 0))
        (local.set $neg (i64.const 0))
        (local.set $t (i32.const 0))
        (block $t_done (loop $t_loop
          (br_if $t_done (i32.ge_u (local.get $t) (local.get $W)))
          (local.set $m (i64.xor
            (i64.load (i32.add (local.get $S) (local.get $a)))
            (i64.load (i32.add (local.get $S) (local.get $b)))))
          (if (local.get $zeros) (then
            (local.set $both2 (i64.and
              (i64.load (i32.add (local.get $Z) (local.get $a)))
              (i64.load (i32.add (local.get $Z) (local.get $b)))))
            (local.set $m (i64.and (local.get $m) (local.get $both2)))
            (local.set $both (i64.add (local.get $both) (i64.popcnt (local.get $both2))))))
          (local.set $neg (i64.add (local.get $neg) (i64.popcnt (local.get $m))))
          (local.set $a (i32.add (local.get $a) (i32.const 8)))
          (local.set $b (i32.add (local.get $b) (i32.const 8)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $t_loop)))
        (if (i32.eqz (local.get $zeros)) (then (local.set $both (i64.extend_i32_u (local.get $d)))))
        (f64.store
          (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $k)) (i32.const 3)))
          (f64.convert_i64_s (i64.sub (local.get $both) (i64.shl (local.get $neg) (i64.const 1)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $k_loop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $i_loop))))

  ;; ---- p-adic lifting (src/exact/dixon.ts) ----

  ;; Σ_{j < len} a[j] x[j] for doubles at byte offsets $a and $x: four lanes, integer partial sums.
  (func $dot (param $a i32) (param $x i32) (param $len i32) (result f64)
    (local $j i32) (local $end i32) (local $acc v128) (local $acc2 v128) (local $s f64)
    (local.set $acc (f64x2.splat (f64.const 0)))
    (local.set $acc2 (f64x2.splat (f64.const 0)))
    (local.set $end (i32.and (local.get $len) (i32.const -4)))
    (block $done (loop $quads
      (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul
        (v128.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3))))
        (v128.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 3)))))))
      (local.set $acc2 (f64x2.add (local.get $acc2) (f64x2.mul
        (v128.load offset=16 (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3))))
        (v128.load offset=16 (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 3)))))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $quads)))
    (local.set $acc (f64x2.add (local.get $acc) (local.get $acc2)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
    (block $tail_done (loop $tail
      (br_if $tail_done (i32.ge_u (local.get $j) (local.get $len)))
      (local.set $s (f64.add (local.get $s) (f64.mul
        (f64.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3))))
        (f64.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 3)))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $tail)))
    (local.get $s))

  ;; s mod p in [0, p) for an integer |s| < 2^52 (modular.ts reduce).
  (func $reduce (param $s f64) (param $p f64) (param $pinv f64) (result f64)
    (local $v f64)
    (local.set $v (f64.sub (local.get $s) (f64.mul (f64.floor (f64.mul (local.get $s) (local.get $pinv))) (local.get $p))))
    (if (result f64) (f64.lt (local.get $v) (f64.const 0))
      (then (f64.add (local.get $v) (local.get $p)))
      (else (if (result f64) (f64.ge (local.get $v) (local.get $p))
        (then (f64.sub (local.get $v) (local.get $p)))
        (else (local.get $v))))))

  ;; (v - Σ_{j < len} a[j] x[j]) mod p for residues in [0, p < 2^20), reduced every 4096 terms
  ;; (4096 (p - 1)² + p < 2^53: luModP.ts CHUNK).
  (func $dotMod (param $v f64) (param $a i32) (param $x i32) (param $len i32) (param $p f64) (param $pinv f64) (result f64)
    (local $lo i32) (local $m i32)
    (block $done (loop $chunks
      (br_if $done (i32.ge_u (local.get $lo) (local.get $len)))
      (local.set $m (i32.sub (local.get $len) (local.get $lo)))
      (if (i32.gt_u (local.get $m) (i32.const 4096)) (then (local.set $m (i32.const 4096))))
      (local.set $v (call $reduce
        (f64.sub (local.get $v) (call $dot
          (i32.add (local.get $a) (i32.shl (local.get $lo) (i32.const 3)))
          (i32.add (local.get $x) (i32.shl (local.get $lo) (i32.const 3)))
          (local.get $m)))
        (local.get $p) (local.get $pinv)))
      (local.set $lo (i32.add (local.get $lo) (i32.const 4096)))
      (br $chunks)))
    (call $reduce (local.get $v) (local.get $p) (local.get $pinv)))

  ;; out = A⁻¹ r mod p from the LU factors T (n × n doubles, luModP.ts: unit L below the
  ;; diagonal, 1 / U_ii on it) and the row permutation perm (n i32): L y = P r, then U x = y.
  (func $solve (export "solveModP") (param $T i32) (param $perm i32) (param $n i32) (param $p f64) (param $r i32) (param $out i32)
    (local $i i32) (local $row i32) (local $pinv f64)
    (local.set $pinv (f64.div (f64.const 1) (local.get $p)))
    (block $fwd_done (loop $fwd
      (br_if $fwd_done (i32.ge_u (local.get $i) (local.get $n)))
      (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
        (call $dotMod
          (f64.load (i32.add (local.get $r) (i32.shl (i32.load (i32.add (local.get $perm) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3))))
          (i32.add (local.get $T) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 3)))
          (local.get $out) (local.get $i) (local.get $p) (local.get $pinv)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $fwd)))
    (block $back_done (loop $back
      (br_if $back_done (i32.eqz (local.get $i)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (local.set $row (i32.add (local.get $T) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 3))))
      (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
        (call $reduce
          (f64.mul
            (call $dotMod
              (f64.load (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3))))
              (i32.add (local.get $row) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 3)))
              (i32.add (local.get $out) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 3)))
              (i32.sub (i32.sub (local.get $n) (local.get $i)) (i32.const 1))
              (local.get $p) (local.get $pinv))
            (f64.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 3)))))
          (local.get $p) (local.get $pinv)))
      (br $back))))

  ;; $steps lifting steps on the Number route (dixon.ts lift), the digits of step k at
  ;; $x + 8 n k: rm = rf mod p, x = A⁻¹ rm mod p, rf = (rf - A x) / p. The caller guarantees
  ;; |rf| <= 2^52 and n max|A| (p - 1) < 2^52, so rf - A x is an exact integer below 2^53
  ;; divisible by p, the quotient is exact, and the bound holds for the next step.
  (func (export "liftSteps") (param $T i32) (param $perm i32) (param $A i32) (param $n i32) (param $p f64)
    (param $rf i32) (param $rm i32) (param $x i32) (param $steps i32)
    (block $done (loop $each
      (br_if $done (i32.eqz (local.get $steps)))
      (call $liftStep (local.get $T) (local.get $perm) (local.get $A) (local.get $n) (local.get $p)
        (local.get $rf) (local.get $rm) (local.get $x))
      (local.set $x (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
      (local.set $steps (i32.sub (local.get $steps) (i32.const 1)))
      (br $each))))

  (func $liftStep (param $T i32) (param $perm i32) (param $A i32) (param $n i32) (param $p f64)
    (param $rf i32) (param $rm i32) (param $x i32)
    (local $i i32) (local $at i32) (local $pinv f64)
    (local.set $pinv (f64.div (f64.const 1) (local.get $p)))
    (block $mod_done (loop $mod
      (br_if $mod_done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $at (i32.shl (local.get $i) (i32.const 3)))
      (f64.store (i32.add (local.get $rm) (local.get $at))
        (call $reduce (f64.load (i32.add (local.get $rf) (local.get $at))) (local.get $p) (local.get $pinv)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $mod)))
    (call $solve (local.get $T) (local.get $perm) (local.get $n) (local.get $p) (local.get $rm) (local.get $x))
    (local.set $i (i32.const 0))
    (block $res_done (loop $res
      (br_if $res_done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $at (i32.shl (local.get $i) (i32.const 3)))
      (f64.store (i32.add (local.get $rf) (local.get $at))
        (f64.div
          (f64.sub
            (f64.load (i32.add (local.get $rf) (local.get $at)))
            (call $dot (i32.add (local.get $A) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 3)))
              (local.get $x) (local.get $n)))
          (local.get $p)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $res))))

  ;; ---- eliminations (O(n³): the LU mod p of dixon.ts, the float guess of activeSet.ts) ----

  ;; dst[j] -= f src[j] for j < len, two lanes: elementwise, so every entry is the scalar result.
  (func $axpy (param $dst i32) (param $src i32) (param $f f64) (param $len i32)
    (local $j i32) (local $end i32) (local $fv v128) (local $a i32)
    (local.set $fv (f64x2.splat (local.get $f)))
    (local.set $end (i32.and (local.get $len) (i32.const -2)))
    (block $done (loop $pairs
      (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
      (local.set $a (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 3))))
      (v128.store (local.get $a) (f64x2.sub (v128.load (local.get $a))
        (f64x2.mul (local.get $fv) (v128.load (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 3)))))))
      (local.set $j (i32.add (local.get $j) (i32.const 2)))
      (br $pairs)))
    (if (i32.lt_u (local.get $j) (local.get $len)) (then
      (local.set $a (i32.add (local.get $dst) (i32.shl (local.get $j) (i32.const 3))))
      (f64.store (local.get $a) (f64.sub (f64.load (local.get $a))
        (f64.mul (local.get $f) (f64.load (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 3))))))))))

  ;; Swap the doubles [a, a + len) and [b, b + len).
  (func $swap (param $a i32) (param $b i32) (param $len i32)
    (local $j i32) (local $t f64)
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $j) (local.get $len)))
      (local.set $t (f64.load (local.get $a)))
      (f64.store (local.get $a) (f64.load (local.get $b)))
      (f64.store (local.get $b) (local.get $t))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $each))))

  ;; x⁻¹ mod p for 0 < x < p (extended Euclid on integers below 2^20).
  (func $invMod (param $x f64) (param $p f64) (result f64)
    (local $a i64) (local $b i64) (local $u i64) (local $v i64) (local $q i64) (local $t i64)
    (local.set $a (i64.trunc_f64_s (local.get $x)))
    (local.set $b (i64.trunc_f64_s (local.get $p)))
    (local.set $u (i64.const 1))
    (block $done (loop $steps
      (br_if $done (i64.eqz (local.get $b)))
      (local.set $q (i64.div_s (local.get $a) (local.get $b)))
      (local.set $t (i64.sub (local.get $a) (i64.mul (local.get $q) (local.get $b))))
      (local.set $a (local.get $b))
      (local.set $b (local.get $t))
      (local.set $t (i64.sub (local.get $u) (i64.mul (local.get $q) (local.get $v))))
      (local.set $u (local.get $v))
      (local.set $v (local.get $t))
      (br $steps)))
    (call $reduce (f64.convert_i64_s (local.get $u)) (local.get $p) (f64.div (f64.const 1) (local.get $p))))

  ;; PA = LU mod p in place (luModP.ts: T n × n residues in [0, p) → unit L below the diagonal,
  ;; 1 / U_ii on it; perm the row order, n i32 set by the caller to 0..n-1). Lazy reduction: a
  ;; trailing entry only has (p - 1)² subtracted per column, so it is reduced when its row or
  ;; column becomes the pivot's and the whole trailing block every 4096 columns (values stay in
  ;; (-4096 (p - 1)², p): exact). Returns 0 when A is singular mod p.
  (func (export "luModP") (param $T i32) (param $perm i32) (param $n i32) (param $p f64) (result i32)
    (local $c i32) (local $i i32) (local $j i32) (local $r i32) (local $rc i32) (local $ri i32)
    (local $nb i32) (local $pinv f64) (local $v f64) (local $inv f64) (local $f f64) (local $t i32)
    (local.set $pinv (f64.div (f64.const 1) (local.get $p)))
    (local.set $nb (i32.shl (local.get $n) (i32.const 3)))
    (block $cols_done (loop $cols
      (br_if $cols_done (i32.ge_u (local.get $c) (local.get $n)))
      (if (i32.and (i32.ne (local.get $c) (i32.const 0)) (i32.eqz (i32.and (local.get $c) (i32.const 4095)))) (then
        (local.set $i (local.get $c))
        (block $ri_done (loop $ri_loop
          (br_if $ri_done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $j (local.get $c))
          (block $rj_done (loop $rj_loop
            (br_if $rj_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $ri (i32.add (local.get $T) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))))
            (f64.store (local.get $ri) (call $reduce (f64.load (local.get $ri)) (local.get $p) (local.get $pinv)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $rj_loop)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $ri_loop)))))
      ;; the pivot: the first row from c on with a nonzero residue in column c
      (local.set $r (i32.const -1))
      (local.set $i (local.get $c))
      (block $piv_done (loop $piv
        (br_if $piv_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $ri (i32.add (local.get $T) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $c)) (i32.const 3))))
        (local.set $v (call $reduce (f64.load (local.get $ri)) (local.get $p) (local.get $pinv)))
        (f64.store (local.get $ri) (local.get $v))
        (if (i32.and (i32.lt_s (local.get $r) (i32.const 0)) (f64.ne (local.get $v) (f64.const 0)))
          (then (local.set $r (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $piv)))
      (if (i32.lt_s (local.get $r) (i32.const 0)) (then (return (i32.const 0))))
      (local.set $rc (i32.add (local.get $T) (i32.mul (local.get $c) (local.get $nb))))
      (if (i32.ne (local.get $r) (local.get $c)) (then
        (call $swap (i32.add (local.get $T) (i32.mul (local.get $r) (local.get $nb))) (local.get $rc) (local.get $n))
        (local.set $t (i32.load (i32.add (local.get $perm) (i32.shl (local.get $r) (i32.const 2)))))
        (i32.store (i32.add (local.get $perm) (i32.shl (local.get $r) (i32.const 2)))
          (i32.load (i32.add (local.get $perm) (i32.shl (local.get $c) (i32.const 2)))))
        (i32.store (i32.add (local.get $perm) (i32.shl (local.get $c) (i32.const 2))) (local.get $t))))
      (local.set $j (i32.add (local.get $c) (i32.const 1)))
      (block $red_done (loop $red
        (br_if $red_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $ri (i32.add (local.get $rc) (i32.shl (local.get $j) (i32.const 3))))
        (f64.store (local.get $ri) (call $reduce (f64.load (local.get $ri)) (local.get $p) (local.get $pinv)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $red)))
      (local.set $inv (call $invMod (f64.load (i32.add (local.get $rc) (i32.shl (local.get $c) (i32.const 3)))) (local.get $p)))
      (f64.store (i32.add (local.get $rc) (i32.shl (local.get $c) (i32.const 3))) (local.get $inv))
      (local.set $i (i32.add (local.get $c) (i32.const 1)))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $ri (i32.add (local.get $T) (i32.mul (local.get $i) (local.get $nb))))
        (local.set $v (f64.load (i32.add (local.get $ri) (i32.shl (local.get $c) (i32.const 3)))))
        (if (f64.ne (local.get $v) (f64.const 0)) (then
          (local.set $f (call $reduce (f64.mul (local.get $v) (local.get $inv)) (local.get $p) (local.get $pinv)))
          (f64.store (i32.add (local.get $ri) (i32.shl (local.get $c) (i32.const 3))) (local.get $f)) ;; the L multiplier
          (call $axpy
            (i32.add (local.get $ri) (i32.shl (i32.add (local.get $c) (i32.const 1)) (i32.const 3)))
            (i32.add (local.get $rc) (i32.shl (i32.add (local.get $c) (i32.const 1)) (i32.const 3)))
            (local.get $f)
            (i32.sub (i32.sub (local.get $n) (local.get $c)) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $cols)))
    (i32.const 1))

  ;; The float guess of activeSet.ts allActive: T (n × W doubles, W = n + 1: M | -q) by
  ;; Gaussian elimination with partial pivoting, then z by back substitution into $z (n doubles).
  ;; Returns 0 at a zero pivot. Floats only propose: the caller verifies exactly.
  (func (export "floatSolve") (param $T i32) (param $n i32) (param $z i32) (result i32)
    (local $c i32) (local $i i32) (local $j i32) (local $r i32) (local $W i32) (local $wb i32)
    (local $rc i32) (local $ri i32) (local $best f64) (local $v f64) (local $inv f64) (local $f f64) (local $s f64)
    (local.set $W (i32.add (local.get $n) (i32.const 1)))
    (local.set $wb (i32.shl (local.get $W) (i32.const 3)))
    (block $cols_done (loop $cols
      (br_if $cols_done (i32.ge_u (local.get $c) (local.get $n)))
      (local.set $r (local.get $c))
      (local.set $best (f64.abs (f64.load (i32.add (local.get $T) (i32.add (i32.mul (local.get $c) (local.get $wb)) (i32.shl (local.get $c) (i32.const 3)))))))
      (local.set $i (i32.add (local.get $c) (i32.const 1)))
      (block $piv_done (loop $piv
        (br_if $piv_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $v (f64.abs (f64.load (i32.add (local.get $T) (i32.add (i32.mul (local.get $i) (local.get $wb)) (i32.shl (local.get $c) (i32.const 3)))))))
        (if (f64.gt (local.get $v) (local.get $best)) (then (local.set $best (local.get $v)) (local.set $r (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $piv)))
      (if (i32.eqz (f64.gt (local.get $best) (f64.const 0))) (then (return (i32.const 0))))
      (local.set $rc (i32.add (local.get $T) (i32.mul (local.get $c) (local.get $wb))))
      (if (i32.ne (local.get $r) (local.get $c)) (then
        (call $swap
          (i32.add (i32.add (local.get $T) (i32.mul (local.get $r) (local.get $wb))) (i32.shl (local.get $c) (i32.const 3)))
          (i32.add (local.get $rc) (i32.shl (local.get $c) (i32.const 3)))
          (i32.sub (local.get $W) (local.get $c)))))
      (local.set $inv (f64.div (f64.const 1) (f64.load (i32.add (local.get $rc) (i32.shl (local.get $c) (i32.const 3))))))
      (local.set $i (i32.add (local.get $c) (i32.const 1)))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $ri (i32.add (local.get $T) (i32.mul (local.get $i) (local.get $wb))))
        (local.set $f (f64.mul (f64.load (i32.add (local.get $ri) (i32.shl (local.get $c) (i32.const 3)))) (local.get $inv)))
        (if (f64.ne (local.get $f) (f64.const 0)) (then
          (call $axpy
            (i32.add (local.get $ri) (i32.shl (local.get $c) (i32.const 3)))
            (i32.add (local.get $rc) (i32.shl (local.get $c) (i32.const 3)))
            (local.get $f)
            (i32.sub (local.get $W) (local.get $c)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $cols)))
    (local.set $i (local.get $n))
    (block $back_done (loop $back
      (br_if $back_done (i32.eqz (local.get $i)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (local.set $ri (i32.add (local.get $T) (i32.mul (local.get $i) (local.get $wb))))
      (local.set $s (f64.load (i32.add (local.get $ri) (i32.shl (local.get $n) (i32.const 3)))))
      (local.set $j (i32.add (local.get $i) (i32.const 1)))
      (block $sum_done (loop $sum
        (br_if $sum_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $s (f64.sub (local.get $s) (f64.mul
          (f64.load (i32.add (local.get $ri) (i32.shl (local.get $j) (i32.const 3))))
          (f64.load (i32.add (local.get $z) (i32.shl (local.get $j) (i32.const 3)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sum)))
      (f64.store (i32.add (local.get $z) (i32.shl (local.get $i) (i32.const 3)))
        (f64.div (local.get $s) (f64.load (i32.add (local.get $ri) (i32.shl (local.get $i) (i32.const 3))))))
      (br $back)))
    (i32.const 1))

  ;; A float Lemke pivot on the tableau T (n rows of W doubles) at row r, column c (activeSet.ts
  ;; floatLemkeBasis): row r scaled by 1 / T_rc, then every other row with f = T_ic ≠ 0 gets
  ;; row_i - f row_r over all W columns (where row_r is 0 this leaves row_i's value: the floats
  ;; of the sparse update, up to the sign of a zero).
  (func (export "lemkePivot") (param $T i32) (param $n i32) (param $W i32) (param $r i32) (param $c i32)
    (local $i i32) (local $j i32) (local $wb i32) (local $pr i32) (local $ri i32) (local $inv f64) (local $f f64) (local $a i32)
    (local.set $wb (i32.shl (local.get $W) (i32.const 3)))
    (local.set $pr (i32.add (local.get $T) (i32.mul (local.get $r) (local.get $wb))))
    (local.set $inv (f64.div (f64.const 1) (f64.load (i32.add (local.get $pr) (i32.shl (local.get $c) (i32.const 3))))))
    (block $scaled (loop $scale
      (br_if $scaled (i32.ge_u (local.get $j) (local.get $W)))
      (local.set $a (i32.add (local.get $pr) (i32.shl (local.get $j) (i32.const 3))))
      (f64.store (local.get $a) (f64.mul (f64.load (local.get $a)) (local.get $inv)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $scale)))
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
      (if (i32.ne (local.get $i) (local.get $r)) (then
        (local.set $ri (i32.add (local.get $T) (i32.mul (local.get $i) (local.get $wb))))
        (local.set $f (f64.load (i32.add (local.get $ri) (i32.shl (local.get $c) (i32.const 3)))))
        (if (f64.ne (local.get $f) (f64.const 0))
          (then (call $axpy (local.get $ri) (local.get $pr) (local.get $f) (local.get $W))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows))))

  ;; ---- gcd (rational.ts gcd): Lehmer steps on 28-bit limbs ----

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

  ;; ---- long integers as 28-bit limbs (i32 slots, little-endian) and as hex text ----

  ;; The $nchars ASCII hex digits at $src (most significant first) into limbs at $out; returns
  ;; the limb count (7 digits a limb).
  (func (export "hexToLimbs") (param $src i32) (param $nchars i32) (param $out i32) (result i32)
    (local $n i32) (local $end i32) (local $start i32) (local $j i32) (local $v i32) (local $ch i32)
    (local.set $end (local.get $nchars))
    (block $done (loop $limbs
      (br_if $done (i32.le_s (local.get $end) (i32.const 0)))
      (local.set $start (i32.sub (local.get $end) (i32.const 7)))
      (if (i32.lt_s (local.get $start) (i32.const 0)) (then (local.set $start (i32.const 0))))
      (local.set $v (i32.const 0))
      (local.set $j (local.get $start))
      (block $chars_done (loop $chars
        (br_if $chars_done (i32.ge_s (local.get $j) (local.get $end)))
        (local.set $ch (i32.load8_u (i32.add (local.get $src) (local.get $j))))
        ;; '0'-'9' are 48-57, 'a'-'f' 97-102
        (local.set $v (i32.or (i32.shl (local.get $v) (i32.const 4))
          (if (result i32) (i32.ge_u (local.get $ch) (i32.const 97))
            (then (i32.sub (local.get $ch) (i32.const 87)))
            (else (i32.sub (local.get $ch) (i32.const 48))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $chars)))
      (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))) (local.get $v))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $end (local.get $start))
      (br $limbs)))
    (local.get $n))

  ;; The $n limbs at $src as ASCII hex at $out, most significant first, without leading zeros
  ;; ("0" for none); returns the character count.
  (func (export "limbsToHex") (param $src i32) (param $n i32) (param $out i32) (result i32)
    (local $k i32) (local $j i32) (local $v i32) (local $d i32) (local $started i32)
    (local.set $j (local.get $n))
    (block $done (loop $limbs
      (br_if $done (i32.eqz (local.get $j)))
      (local.set $j (i32.sub (local.get $j) (i32.const 1)))
      (local.set $v (i32.load (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $d (i32.const 24))
      (block $digits_done (loop $digits
        (br_if $digits_done (i32.lt_s (local.get $d) (i32.const 0)))
        (local.set $started (i32.or (local.get $started)
          (i32.ne (i32.and (i32.shr_u (local.get $v) (local.get $d)) (i32.const 15)) (i32.const 0))))
        (if (local.get $started) (then
          (i32.store8 (i32.add (local.get $out) (local.get $k))
            (i32.add (i32.and (i32.shr_u (local.get $v) (local.get $d)) (i32.const 15))
              (if (result i32) (i32.ge_u (i32.and (i32.shr_u (local.get $v) (local.get $d)) (i32.const 15)) (i32.const 10))
                (then (i32.const 87)) (else (i32.const 48)))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))))
        (local.set $d (i32.sub (local.get $d) (i32.const 4)))
        (br $digits)))
      (br $limbs)))
    (if (i32.eqz (local.get $k)) (then
      (i32.store8 (local.get $out) (i32.const 48))
      (local.set $k (i32.const 1))))
    (local.get $k))

  ;; Σ_{t < len} D[(s + t) n + i] p^t (digits below p < 2^20 as doubles) as limbs at $out by
  ;; Horner from the top digit: limb p + carry < 2^48. Returns the limb count.
  (func (export "digitsToLimbs") (param $D i32) (param $n i32) (param $i i32) (param $s i32) (param $len i32)
    (param $p i32) (param $out i32) (result i32)
    (local $t i32) (local $k i32) (local $nl i32) (local $c i64) (local $v i64) (local $P i64) (local $at i32)
    (local.set $P (i64.extend_i32_u (local.get $p)))
    (local.set $t (local.get $len))
    (block $done (loop $digits
      (br_if $done (i32.eqz (local.get $t)))
      (local.set $t (i32.sub (local.get $t) (i32.const 1)))
      (local.set $c (i64.trunc_f64_u (f64.load (i32.add (local.get $D)
        (i32.shl (i32.add (i32.mul (i32.add (local.get $s) (local.get $t)) (local.get $n)) (local.get $i)) (i32.const 3))))))
      (local.set $k (i32.const 0))
      (block $limbs_done (loop $limbs
        (br_if $limbs_done (i32.ge_u (local.get $k) (local.get $nl)))
        (local.set $at (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $v (i64.add (i64.mul (i64.load32_u (local.get $at)) (local.get $P)) (local.get $c)))
        (i64.store32 (local.get $at) (i64.and (local.get $v) (i64.const 0xfffffff)))
        (local.set $c (i64.shr_u (local.get $v) (i64.const 28)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $limbs)))
      (block $carry_done (loop $carry
        (br_if $carry_done (i64.eqz (local.get $c)))
        (i64.store32 (i32.add (local.get $out) (i32.shl (local.get $nl) (i32.const 2))) (i64.and (local.get $c) (i64.const 0xfffffff)))
        (local.set $c (i64.shr_u (local.get $c) (i64.const 28)))
        (local.set $nl (i32.add (local.get $nl) (i32.const 1)))
        (br $carry)))
      (br $digits)))
    (local.get $nl))
)
