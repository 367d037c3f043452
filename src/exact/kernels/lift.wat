;; p-adic lifting (src/exact/dixon.ts): solves with the LU mod p and the residual update.
;; A part of the kernels module (scripts/wasm.ts wraps the parts in one module).

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
