/// Writes compact JSON with keys in the order given, for output that scripts and tests can
/// compare byte for byte.
///
/// ```swift
/// var w = JSONWriter()
/// w.object { o in
///   o.key("id"); o.string("a.html")
///   o.key("score"); o.number(1.5)
/// }
/// print(w.output)   // {"id":"a.html","score":1.5}
/// ```
///
/// Cost: O(output); strings are escaped byte by byte over their UTF-8.
public struct JSONWriter: Sendable {
  public private(set) var bytes: [UInt8] = []
  private var needsComma: [Bool] = []

  public init() {}

  public var output: String { String(decoding: bytes, as: UTF8.self) }

  /// Writes an object key; the next call writes its value.
  public mutating func key(_ k: String) {
    separator()
    appendString(k)
    bytes.append(UInt8(ascii: ":"))
    suppressNextSeparator = true
  }

  private var suppressNextSeparator = false

  private mutating func separator() {
    if suppressNextSeparator {
      suppressNextSeparator = false
      return
    }
    if let last = needsComma.last {
      if last { bytes.append(UInt8(ascii: ",")) }
      needsComma[needsComma.count - 1] = true
    }
  }

  public mutating func string(_ s: String) {
    separator()
    appendString(s)
  }

  public mutating func optionalString(_ s: String?) {
    if let s { string(s) } else { null() }
  }

  public mutating func number(_ n: Int) {
    separator()
    bytes.append(contentsOf: String(n).utf8)
  }

  public mutating func number(_ d: Double) {
    separator()
    if d.isFinite {
      if d == d.rounded() && abs(d) < 1e15 {
        bytes.append(contentsOf: String(Int(d)).utf8)
      } else {
        bytes.append(contentsOf: "\(d)".utf8)
      }
    } else {
      bytes.append(contentsOf: "null".utf8)
    }
  }

  public mutating func bool(_ b: Bool) {
    separator()
    bytes.append(contentsOf: (b ? "true" : "false").utf8)
  }

  public mutating func null() {
    separator()
    bytes.append(contentsOf: "null".utf8)
  }

  public mutating func object(_ body: (inout JSONWriter) -> Void) {
    separator()
    bytes.append(UInt8(ascii: "{"))
    needsComma.append(false)
    body(&self)
    needsComma.removeLast()
    bytes.append(UInt8(ascii: "}"))
  }

  public mutating func array(_ body: (inout JSONWriter) -> Void) {
    separator()
    bytes.append(UInt8(ascii: "["))
    needsComma.append(false)
    body(&self)
    needsComma.removeLast()
    bytes.append(UInt8(ascii: "]"))
  }

  public mutating func stringArray(_ values: [String]) {
    array { w in for v in values { w.string(v) } }
  }

  /// An object of string values with keys sorted by their UTF-8 bytes.
  public mutating func stringMap(_ map: [String: String]) {
    object { w in
      for k in map.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
        w.key(k)
        w.string(map[k]!)
      }
    }
  }

  private mutating func appendString(_ s: String) {
    bytes.append(UInt8(ascii: "\""))
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
      case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
      case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
      case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
      case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
      case 0..<0x20, 0x7F:
        let hex = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
      default: bytes.append(b)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }
}
