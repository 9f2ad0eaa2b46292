/// Turns the publication dates that pages and files carry into ISO 8601 calendar dates.
///
/// The result is `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when only that much is known. The date is
/// kept as written: a time of day and a zone offset are dropped, never used to shift the day.
/// Accepted forms:
///
/// - ISO-like, year first, with `-`, `/` or `.` between the parts: `2019-06-02`, `2019/6/2`,
///   `2021-03-14T09:00:00Z`, `2019-06-02 10:00 +0200`, `2019-06`, `2019`; also `20190602`.
/// - Day first with dots or dashes (European): `02.06.2019`, `2-6-2019`. With slashes only
///   when unambiguous (`31/12/2019`, `12/31/2019`): `06/02/2019` could be either and is refused.
/// - English month names, full or abbreviated, with an optional weekday, ordinal suffixes and
///   a time: `June 2, 2019`, `2nd June 2019`, `Sun, 02 Jun 2019 10:00:00 GMT`, `June 2019`.
///
/// Anything else (other words, impossible days such as `2019-02-30`, years outside 1000–2999)
/// gives nil.
///
/// ```swift
/// DateNormalizer.normalize("2019/06/02")             // "2019-06-02"
/// DateNormalizer.normalize("2021-03-14T09:00:00Z")   // "2021-03-14"
/// DateNormalizer.normalize("March 2021")             // "2021-03"
/// DateNormalizer.normalize("soon")                   // nil
/// ```
///
/// Cost: O(n) in the length of the string with a few small allocations; meant for metadata
/// values, not for running text.
package enum DateNormalizer {
  /// The ISO 8601 form of `s`, or nil when `s` is not a date this normalizer understands.
  package static func normalize(_ s: String) -> String? {
    let bytes = Array(s.utf8)
    guard bytes.count <= 200 else { return nil }
    let tokens = tokenize(bytes)
    guard !tokens.isEmpty else { return nil }
    if let iso = yearFirst(tokens) { return iso }
    if let words = withMonthName(tokens) { return words }
    return dayFirst(tokens)
  }

  enum Token: Equatable {
    case number(String)
    case word(String)
    case punct(UInt8)
  }

  /// Splits into digit runs, letter runs (lowercased) and single punctuation bytes; spaces
  /// separate tokens and are dropped, as are commas.
  static func tokenize(_ bytes: [UInt8]) -> [Token] {
    var out: [Token] = []
    var i = 0
    while i < bytes.count {
      let c = bytes[i]
      if c >= 0x30 && c <= 0x39 {
        var j = i
        while j < bytes.count, bytes[j] >= 0x30 && bytes[j] <= 0x39 { j += 1 }
        out.append(.number(String(decoding: bytes[i..<j], as: UTF8.self)))
        i = j
      } else if (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A {
        var j = i
        while j < bytes.count, (bytes[j] | 0x20) >= 0x61 && (bytes[j] | 0x20) <= 0x7A { j += 1 }
        out.append(.word(String(decoding: bytes[i..<j], as: UTF8.self).lowercased()))
        i = j
      } else if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x2C || c == 0xC2 || c == 0xA0 {
        i += 1
      } else {
        out.append(.punct(c))
        i += 1
      }
    }
    return out
  }

  /// `YYYY[-MM[-DD]]` at the start (separator `-`, `/` or `.`), or `YYYYMMDD`, followed by
  /// nothing or by a time.
  static func yearFirst(_ t: [Token]) -> String? {
    guard case .number(let first) = t[0] else { return nil }
    if first.utf8.count == 8, t.count == 1 || isTimeStart(t, at: 1) {
      let u = Array(first.utf8)
      let y = int(u[0..<4])
      let m = int(u[4..<6])
      let d = int(u[6..<8])
      return format(year: y, month: m, day: d)
    }
    guard first.utf8.count == 4, let year = Int(first) else { return nil }
    if t.count == 1 { return format(year: year, month: nil, day: nil) }
    guard case .punct(let sep) = t[1], sep == ascii("-") || sep == ascii("/") || sep == ascii("."),
      t.count >= 3, case .number(let ms) = t[2], ms.utf8.count <= 2, let month = Int(ms)
    else { return nil }
    if t.count == 3 { return format(year: year, month: month, day: nil) }
    guard case .punct(let sep2) = t[3], sep2 == sep, t.count >= 5, case .number(let ds) = t[4],
      ds.utf8.count <= 2, let day = Int(ds)
    else { return nil }
    if t.count == 5 || isTimeStart(t, at: 5) { return format(year: year, month: month, day: day) }
    return nil
  }

  /// `DD.MM.YYYY`, `DD-MM-YYYY`, or `DD/MM/YYYY` / `MM/DD/YYYY` when only one reading is valid.
  static func dayFirst(_ t: [Token]) -> String? {
    guard t.count >= 5, case .number(let a) = t[0], case .punct(let sep) = t[1],
      case .number(let b) = t[2], case .punct(let sep2) = t[3], sep2 == sep,
      case .number(let ys) = t[4], a.utf8.count <= 2, b.utf8.count <= 2, ys.utf8.count == 4,
      let x = Int(a), let y = Int(b), let year = Int(ys), t.count == 5 || isTimeStart(t, at: 5)
    else { return nil }
    switch sep {
    case ascii("."), ascii("-"):
      return format(year: year, month: y, day: x)
    case ascii("/"):
      let dayMonth = format(year: year, month: y, day: x)
      let monthDay = format(year: year, month: x, day: y)
      if x == y { return dayMonth }
      if dayMonth != nil && monthDay != nil { return nil }
      return dayMonth ?? monthDay
    default:
      return nil
    }
  }

  /// Dates written with an English month name, in any common order.
  static func withMonthName(_ t: [Token]) -> String? {
    var month: Int?
    var year: Int?
    var day: Int?
    var i = 0
    while i < t.count {
      switch t[i] {
      case .word(let w):
        if let m = monthNumber(w) {
          guard month == nil else { return nil }
          month = m
        } else if !fillerWords.contains(w) {
          return nil
        }
        i += 1
      case .number(let n):
        // A time: digits followed by ":"; skip the whole h:m[:s] group.
        if i + 1 < t.count, t[i + 1] == .punct(ascii(":")) {
          i += 1
          while i + 1 < t.count, t[i] == .punct(ascii(":")), case .number = t[i + 1] { i += 2 }
          continue
        }
        guard let v = Int(n) else { return nil }
        if n.utf8.count == 4 {
          guard year == nil else { return nil }
          year = v
        } else if n.utf8.count <= 2 {
          guard day == nil else { return nil }
          day = v
        } else {
          return nil
        }
        i += 1
        // Ordinal suffixes: 1st, 2nd, 3rd, 4th.
        if day != nil, i < t.count, case .word(let w) = t[i], ["st", "nd", "rd", "th"].contains(w) { i += 1 }
      case .punct(let c):
        // "+0200" / "-05:00" zone offsets and ordinary punctuation between the parts.
        if c == ascii("+") || c == ascii("-"), i + 1 < t.count, case .number = t[i + 1], year != nil {
          return month.flatMap { format(year: year!, month: $0, day: day) }
        }
        guard c == ascii(".") || c == ascii("-") || c == ascii("/") || c == ascii("(") || c == ascii(")")
        else { return nil }
        i += 1
      }
    }
    guard let month, let year else { return nil }
    return format(year: year, month: month, day: day)
  }

  static func isTimeStart(_ t: [Token], at i: Int) -> Bool {
    guard i < t.count else { return false }
    switch t[i] {
    case .word(let w): return w.hasPrefix("t") || w == "z"
    case .number: return i + 1 < t.count && t[i + 1] == .punct(ascii(":"))
    case .punct: return false
    }
  }

  static func format(year: Int, month: Int?, day: Int?) -> String? {
    guard (1000...2999).contains(year) else { return nil }
    let y = String(year)
    guard let month else { return day == nil ? y : nil }
    guard (1...12).contains(month) else { return nil }
    let m = month < 10 ? "0\(month)" : "\(month)"
    guard let day else { return "\(y)-\(m)" }
    guard day >= 1 && day <= daysIn(month: month, year: year) else { return nil }
    let d = day < 10 ? "0\(day)" : "\(day)"
    return "\(y)-\(m)-\(d)"
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  static func monthNumber(_ w: String) -> Int? {
    if let m = monthNames[w] { return m }
    // Abbreviations: the first three letters ("sept" too).
    guard w.utf8.count >= 3 else { return nil }
    if w == "sept" { return 9 }
    return w.utf8.count == 3 ? monthAbbreviations[w] : nil
  }

  static func int(_ s: ArraySlice<UInt8>) -> Int {
    s.reduce(0) { $0 * 10 + Int($1 - 0x30) }
  }

  static let monthNames: [String: Int] = [
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
  ]
  static let monthAbbreviations: [String: Int] = [
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
  ]
  /// Words that may surround a date without changing it: weekdays, "of", "the", zones, am/pm.
  static let fillerWords: Set<String> = [
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "of", "the", "gmt", "utc", "z", "am", "pm", "t",
  ]
}

@inline(__always) private func ascii(_ c: Unicode.Scalar) -> UInt8 { UInt8(c.value) }
