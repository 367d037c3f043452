;; O(n³) eliminations: the LU mod p of dixon.ts and the float guesses of activeSet.ts.
;; A part of the kernels module (scripts/wasm.ts wraps the parts in one module).

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
