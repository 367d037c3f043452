;; The sign Gram (src/exact/intGram.ts): bit masks of sign rows and their popcounts.
;; A part of the kernels module (scripts/wasm.ts wraps the parts in one module).

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
