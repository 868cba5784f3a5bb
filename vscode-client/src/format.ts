/**
 * Figures as the CarbonLens server writes them (Figures.format): three significant digits rounded half
 * up on the decimal a person would write (1.185 -> 1.19), no exponent, no trailing zeros; 1,000 and
 * above as whole units with thousands separators.
 */
export function formatFigure(value: number): string {
  if (!Number.isFinite(value)) {
    return String(value);
  }
  if (value === 0) {
    return '0';
  }
  const negative = value < 0;
  const abs = Math.abs(value);
  if (abs >= 1000) {
    const whole = Math.round(abs).toString();
    return (negative ? '-' : '') + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }
  // The shortest decimal of the double (as Java's BigDecimal.valueOf reads it), as digits and exponent.
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(abs));
  if (!m) {
    return String(value);
  }
  const intPart = m[1];
  const frac = m[2] ?? '';
  const exp = Number(m[3] ?? 0);
  let digits = (intPart + frac).replace(/^0+/, '');
  // position of the decimal point relative to the start of `digits`
  let point = intPart.replace(/^0+/, '').length + exp;
  if (intPart.replace(/^0+/, '') === '') {
    const lead = frac.length - frac.replace(/^0+/, '').length;
    point = -lead + exp;
  }
  if (digits.length > 3) {
    const roundUp = digits.charCodeAt(3) >= 53; // '5'
    let kept = digits.slice(0, 3).split('').map(Number);
    if (roundUp) {
      let i = 2;
      while (i >= 0) {
        if (kept[i] === 9) {
          kept[i] = 0;
          i--;
        } else {
          kept[i]++;
          break;
        }
      }
      if (i < 0) {
        kept = [1, ...kept.slice(0, 2)];
        point++;
      }
    }
    digits = kept.join('');
  }
  digits = digits.replace(/0+$/, '');
  if (digits === '') {
    return '0';
  }
  let text: string;
  if (point <= 0) {
    text = '0.' + '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    text = digits + '0'.repeat(point - digits.length);
  } else {
    text = digits.slice(0, point) + '.' + digits.slice(point);
  }
  return (negative ? '-' : '') + text;
}
