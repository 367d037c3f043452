;; Long integers as 28-bit limbs: to and from hex text, and the lifting digits summed.
;; A part of the kernels module (scripts/wasm.ts wraps the parts in one module).

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
