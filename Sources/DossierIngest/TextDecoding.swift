#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Text decoded from bytes, with the encoding that was used and what had to be repaired.
package struct DecodedText: Sendable, Equatable {
  package var text: String
  /// The WHATWG name of the encoding used, e.g. `utf-8`, `windows-1252`, `utf-16le`.
  package var encoding: String
  package var warnings: [String]
}

/// Decides the character encoding of a byte string and decodes it to a Swift `String`.
///
/// The order of evidence is the one browsers use for saved pages: a byte order mark, then the
/// encoding the document declares (passed in as `declared`), then UTF-8 when the bytes are
/// valid UTF-8, else Windows-1252. A declared UTF-8 is trusted only if the bytes really are
/// UTF-8. Invalid sequences become U+FFFD and are reported in `warnings`; decoding never
/// fails and never drops text silently.
///
/// ```swift
/// let decoded = TextDecoder.decode(Array("caf\u{E9}".utf8))   // utf-8, "café"
/// ```
///
/// Cost: O(n) with one validation pass and one copy; encodings other than UTF-8, UTF-16 and
/// Windows-1252 go through glibc's iconv.
package enum TextDecoder {
  /// Decodes `bytes`, honouring a BOM first and then `declared` (any WHATWG label).
  package static func decode(_ bytes: [UInt8], declared: String? = nil) -> DecodedText {
    if let (bomEncoding, bomLength) = byteOrderMark(bytes) {
      let rest = bytes[bomLength...]
      return decode(rest, as: bomEncoding, reason: "byte order mark")
    }
    var warnings: [String] = []
    if let declared {
      if let canonical = canonicalName(forLabel: declared) {
        switch canonical {
        case "utf-8":
          if isValidUTF8(bytes) {
            return DecodedText(text: String(decoding: bytes, as: UTF8.self), encoding: "utf-8", warnings: [])
          }
          warnings.append("declared UTF-8 but the bytes are not valid UTF-8")
        case "utf-16le", "utf-16be":
          // Without a BOM a UTF-16 label on an ASCII-compatible page is a mistake (WHATWG).
          if !looksLikeUTF16(bytes) {
            warnings.append("declared \(declared) but the bytes are not UTF-16; ignored")
          } else {
            return decode(bytes[...], as: canonical, reason: "declaration")
          }
        default:
          var decoded = decode(bytes[...], as: canonical, reason: "declaration")
          decoded.warnings.insert(contentsOf: warnings, at: 0)
          return decoded
        }
      } else {
        warnings.append("unknown encoding label \"\(declared)\"; guessed instead")
      }
    }
    var guessed = guess(bytes)
    guessed.warnings.insert(contentsOf: warnings, at: 0)
    return guessed
  }

  /// Without a usable BOM or declaration: UTF-8 if valid (or nearly), else Windows-1252.
  package static func guess(_ bytes: [UInt8]) -> DecodedText {
    if isValidUTF8(bytes) {
      return DecodedText(text: String(decoding: bytes, as: UTF8.self), encoding: "utf-8", warnings: [])
    }
    let (valid, invalid) = utf8SequenceCounts(bytes)
    // A few bad bytes in otherwise real UTF-8 (multi-byte sequences present) are damage, not
    // another encoding: keep UTF-8 and mark the damage.
    if valid >= 4 && invalid * 10 <= valid {
      return DecodedText(
        text: String(decoding: bytes, as: UTF8.self), encoding: "utf-8",
        warnings: ["\(invalid) invalid UTF-8 sequence(s) replaced by U+FFFD"])
    }
    return DecodedText(text: windows1252(bytes[...]), encoding: "windows-1252", warnings: [])
  }

  /// The encoding and length of a byte order mark at the start of `bytes`, if any.
  package static func byteOrderMark(_ bytes: [UInt8]) -> (String, Int)? {
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
      return ("utf-8", 3)
    }
    if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE { return ("utf-16le", 2) }
    if bytes.count >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF { return ("utf-16be", 2) }
    return nil
  }

  /// True when `bytes` is well-formed UTF-8. O(n), no allocation.
  package static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
    // Fast path: all ASCII.
    let allASCII = bytes.withUnsafeBufferPointer { buf -> Bool in
      var acc: UInt8 = 0
      for b in buf { acc |= b }
      return acc < 0x80
    }
    if allASCII { return true }
    return utf8SequenceCounts(bytes).invalid == 0
  }

  /// Counts well-formed multi-byte sequences and invalid sequences (maximal subparts).
  package static func utf8SequenceCounts(_ bytes: [UInt8]) -> (valid: Int, invalid: Int) {
    bytes.withUnsafeBufferPointer { buf in
      var i = 0
      var valid = 0
      var invalid = 0
      let n = buf.count
      let raw = UnsafeRawBufferPointer(buf)
      while i < n {
        // ASCII runs eight bytes at a time.
        while i + 8 <= n
          && UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            & 0x8080_8080_8080_8080 == 0
        {
          i += 8
        }
        if i >= n { break }
        let b0 = buf[i]
        if b0 < 0x80 {
          i += 1
          continue
        }
        var need = 0
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: need = 1
        case 0xE0:
          need = 2
          lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED:
          need = 2
          upper = 0x9F
        case 0xF0:
          need = 3
          lower = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4:
          need = 3
          upper = 0x8F
        default:
          invalid += 1
          i += 1
          continue
        }
        var j = 1
        var ok = true
        while j <= need {
          guard i + j < n else {
            ok = false
            break
          }
          let b = buf[i + j]
          let lo: UInt8 = j == 1 ? lower : 0x80
          let hi: UInt8 = j == 1 ? upper : 0xBF
          if b < lo || b > hi {
            ok = false
            break
          }
          j += 1
        }
        if ok {
          valid += 1
          i += need + 1
        } else {
          invalid += 1
          i += max(1, j)
        }
      }
      return (valid, invalid)
    }
  }

  /// Maps an encoding label (as found in a `<meta>` or an HTTP header) to the WHATWG encoding
  /// name, or nil when the label is unknown. Case and surrounding space are ignored.
  package static func canonicalName(forLabel label: String) -> String? {
    let key = label.trimmingASCIIWhitespace().lowercased()
    return labelTable[key]
  }

  // MARK: - Decoders

  static func decode(_ bytes: ArraySlice<UInt8>, as encoding: String, reason: String) -> DecodedText {
    switch encoding {
    case "utf-8":
      let array = Array(bytes)
      let (_, invalid) = utf8SequenceCounts(array)
      return DecodedText(
        text: String(decoding: array, as: UTF8.self), encoding: "utf-8",
        warnings: invalid == 0 ? [] : ["\(invalid) invalid UTF-8 sequence(s) replaced by U+FFFD"])
    case "utf-16le", "utf-16be":
      return utf16(bytes, bigEndian: encoding == "utf-16be")
    case "windows-1252":
      return DecodedText(text: windows1252(bytes), encoding: "windows-1252", warnings: [])
    default:
      if let iconvName = iconvNames[encoding], let decoded = iconvDecode(bytes, from: iconvName) {
        return DecodedText(text: decoded.text, encoding: encoding, warnings: decoded.warnings)
      }
      var fallback = guess(Array(bytes))
      fallback.warnings.insert("encoding \(encoding) is not available here; guessed instead", at: 0)
      return fallback
    }
  }

  static func looksLikeUTF16(_ bytes: [UInt8]) -> Bool {
    // ASCII text in UTF-16 has a NUL in every other byte.
    let sample = bytes.prefix(512)
    guard sample.count >= 4 else { return false }
    let zeros = sample.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
    return zeros * 4 >= sample.count
  }

  static func utf16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> DecodedText {
    var units: [UInt16] = []
    units.reserveCapacity(bytes.count / 2)
    var i = bytes.startIndex
    while i + 1 < bytes.endIndex {
      let a = UInt16(bytes[i])
      let b = UInt16(bytes[i + 1])
      units.append(bigEndian ? (a << 8 | b) : (b << 8 | a))
      i += 2
    }
    var warnings: [String] = []
    var badSurrogates = 0
    var k = 0
    while k < units.count {
      let u = units[k]
      if u >= 0xD800 && u <= 0xDBFF {
        if k + 1 < units.count, units[k + 1] >= 0xDC00 && units[k + 1] <= 0xDFFF {
          k += 2
          continue
        }
        badSurrogates += 1
      } else if u >= 0xDC00 && u <= 0xDFFF {
        badSurrogates += 1
      }
      k += 1
    }
    if badSurrogates > 0 {
      warnings.append("\(badSurrogates) unpaired UTF-16 surrogate(s) replaced by U+FFFD")
    }
    var text = String(decoding: units, as: UTF16.self)
    if bytes.count % 2 == 1 {
      text.append("\u{FFFD}")
      warnings.append("odd number of bytes in UTF-16 text; the last byte replaced by U+FFFD")
    }
    return DecodedText(
      text: text, encoding: bigEndian ? "utf-16be" : "utf-16le", warnings: warnings)
  }

  /// Windows-1252 to String. Bytes 0x80–0x9F that the code page leaves undefined map to the C1
  /// controls of the same value, as the WHATWG decoder does.
  static func windows1252(_ bytes: ArraySlice<UInt8>) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + bytes.count / 8)
    for b in bytes {
      if b < 0x80 {
        out.append(b)
        continue
      }
      let scalar: UInt32 = b < 0xA0 ? UInt32(cp1252High[Int(b - 0x80)]) : UInt32(b)
      appendUTF8(scalar, to: &out)
    }
    return String(decoding: out, as: UTF8.self)
  }

  @inline(__always)
  static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
    switch scalar {
    case 0..<0x80: out.append(UInt8(scalar))
    case 0x80..<0x800:
      out.append(UInt8(0xC0 | (scalar >> 6)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    case 0x800..<0x10000:
      out.append(UInt8(0xE0 | (scalar >> 12)))
      out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    default:
      out.append(UInt8(0xF0 | (scalar >> 18)))
      out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
      out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    }
  }

  /// Converts with iconv to UTF-8; an invalid sequence becomes U+FFFD and decoding goes on.
  static func iconvDecode(_ bytes: ArraySlice<UInt8>, from name: String) -> (
    text: String, warnings: [String]
  )? {
    let cd = iconv_open("UTF-8", name)
    if cd == iconv_t(bitPattern: -1) { return nil }
    defer { iconv_close(cd) }
    var input = Array(bytes)
    var output = [UInt8](repeating: 0, count: max(64, input.count * 4 + 16))
    var produced = 0
    var replaced = 0
    input.withUnsafeMutableBufferPointer { inBuf in
      var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?
        .assumingMemoryBound(to: CChar.self)
      var inLeft = inBuf.count
      while inLeft > 0 {
        let (consumedOK, wrote, errorCode): (Bool, Int, Int32) = output.withUnsafeMutableBufferPointer {
          outBuf in
          var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress! + produced)
            .assumingMemoryBound(to: CChar.self)
          var outLeft = outBuf.count - produced
          let before = outLeft
          let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
          return (r != -1, before - outLeft, r == -1 ? errno : 0)
        }
        produced += wrote
        if consumedOK { break }
        if errorCode == E2BIG {
          output.append(contentsOf: [UInt8](repeating: 0, count: output.count))
          continue
        }
        // EILSEQ or EINVAL: replace one byte and go on.
        if output.count - produced < 3 {
          output.append(contentsOf: [UInt8](repeating: 0, count: 64))
        }
        output[produced] = 0xEF
        output[produced + 1] = 0xBF
        output[produced + 2] = 0xBD
        produced += 3
        replaced += 1
        inPtr = inPtr.map { $0 + 1 }
        inLeft -= 1
      }
    }
    output.removeSubrange(produced...)
    let warnings = replaced == 0 ? [] : ["\(replaced) byte(s) invalid in \(name) replaced by U+FFFD"]
    return (String(decoding: output, as: UTF8.self), warnings)
  }

  static let cp1252High: [UInt16] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
  ]

  /// WHATWG encoding name to the name glibc's iconv knows it by.
  static let iconvNames: [String: String] = [
    "gbk": "GB18030", "gb18030": "GB18030", "big5": "BIG5-HKSCS", "euc-jp": "EUC-JP",
    "iso-2022-jp": "ISO-2022-JP", "shift_jis": "CP932", "euc-kr": "CP949", "koi8-r": "KOI8-R",
    "koi8-u": "KOI8-U", "ibm866": "CP866", "macintosh": "MACINTOSH",
    "windows-874": "CP874", "windows-1250": "CP1250", "windows-1251": "CP1251",
    "windows-1253": "CP1253", "windows-1254": "CP1254", "windows-1255": "CP1255",
    "windows-1256": "CP1256", "windows-1257": "CP1257", "windows-1258": "CP1258",
    "iso-8859-2": "ISO-8859-2", "iso-8859-3": "ISO-8859-3", "iso-8859-4": "ISO-8859-4",
    "iso-8859-5": "ISO-8859-5", "iso-8859-6": "ISO-8859-6", "iso-8859-7": "ISO-8859-7",
    "iso-8859-8": "ISO-8859-8", "iso-8859-10": "ISO-8859-10", "iso-8859-13": "ISO-8859-13",
    "iso-8859-14": "ISO-8859-14", "iso-8859-15": "ISO-8859-15", "iso-8859-16": "ISO-8859-16",
  ]

  /// A subset of the WHATWG Encoding Standard's label table: the labels found on real pages.
  static let labelTable: [String: String] = {
    var t: [String: String] = [:]
    func add(_ name: String, _ labels: [String]) {
      t[name] = name
      for l in labels { t[l] = name }
    }
    add("utf-8", ["utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"])
    add(
      "windows-1252",
      [
        "ascii", "us-ascii", "ansi_x3.4-1968", "cp1252", "cp819", "csisolatin1", "ibm819",
        "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987",
        "l1", "latin1", "x-cp1252",
      ])
    add("utf-16le", ["utf-16", "ucs-2", "csunicode", "iso-10646-ucs-2", "unicode", "unicodefeff"])
    add("utf-16be", ["unicodefffe"])
    add(
      "gbk",
      ["chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "iso-ir-58", "x-gbk"])
    add("gb18030", [])
    add("big5", ["big5-hkscs", "cn-big5", "csbig5", "x-x-big5"])
    add("euc-jp", ["cseucpkdfmtjapanese", "x-euc-jp"])
    add("iso-2022-jp", ["csiso2022jp"])
    add(
      "shift_jis",
      ["csshiftjis", "ms932", "ms_kanji", "shift-jis", "sjis", "windows-31j", "x-sjis"])
    add(
      "euc-kr",
      [
        "cseuckr", "csksc56011987", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989",
        "ksc5601", "ksc_5601", "windows-949",
      ])
    add("koi8-r", ["cskoi8r", "koi", "koi8", "koi8_r"])
    add("koi8-u", ["koi8-ru"])
    add("ibm866", ["866", "cp866", "csibm866"])
    add("macintosh", ["csmacintosh", "mac", "x-mac-roman"])
    add("windows-874", ["dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620"])
    add("windows-1250", ["cp1250", "x-cp1250"])
    add("windows-1251", ["cp1251", "x-cp1251"])
    add("windows-1253", ["cp1253", "x-cp1253"])
    add(
      "windows-1254",
      [
        "cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9",
        "l5", "latin5", "x-cp1254",
      ])
    add("windows-1255", ["cp1255", "x-cp1255"])
    add("windows-1256", ["cp1256", "x-cp1256"])
    add("windows-1257", ["cp1257", "x-cp1257"])
    add("windows-1258", ["cp1258", "x-cp1258"])
    for (n, extra) in [
      (2, ["l2", "latin2"]), (3, ["l3", "latin3"]), (4, ["l4", "latin4"]), (5, ["cyrillic"]),
      (6, ["arabic"]), (7, ["greek"]), (8, ["hebrew"]), (10, ["l6", "latin6"]), (13, []),
      (14, []), (15, ["l9", "latin-9"]), (16, []),
    ] {
      add("iso-8859-\(n)", ["iso8859-\(n)", "iso8859\(n)", "iso_8859-\(n)"] + extra)
    }
    return t
  }()
}

extension String {
  /// The string without leading and trailing ASCII whitespace. O(n).
  package func trimmingASCIIWhitespace() -> String {
    let u = Array(utf8)
    var lo = 0
    var hi = u.count
    while lo < hi, u[lo] == 0x20 || u[lo] == 0x09 || u[lo] == 0x0A || u[lo] == 0x0D || u[lo] == 0x0C {
      lo += 1
    }
    while hi > lo,
      u[hi - 1] == 0x20 || u[hi - 1] == 0x09 || u[hi - 1] == 0x0A || u[hi - 1] == 0x0D || u[hi - 1] == 0x0C
    {
      hi -= 1
    }
    return String(decoding: u[lo..<hi], as: UTF8.self)
  }
}
