import DossierTestSupport
import Testing

@testable import DossierIngest

@Suite("Character encodings")
struct TextDecodingTests {
  @Test func validUTF8IsUTF8() {
    let d = TextDecoder.decode(Array("Kampala’s “Safe City” – €".utf8))
    #expect(d.encoding == "utf-8")
    #expect(d.text == "Kampala’s “Safe City” – €")
    #expect(d.warnings.isEmpty)
  }

  @Test func invalidBytesFallBackToWindows1252() {
    // "café “x” – €" in Windows-1252.
    let bytes: [UInt8] = [0x63, 0x61, 0x66, 0xE9, 0x20, 0x93, 0x78, 0x94, 0x20, 0x96, 0x20, 0x80]
    let d = TextDecoder.decode(bytes)
    #expect(d.encoding == "windows-1252")
    #expect(d.text == "café “x” – €")
  }

  @Test func latin1LabelMeansWindows1252() {
    let d = TextDecoder.decode([0x93, 0x61, 0x94], declared: "ISO-8859-1")
    #expect(d.encoding == "windows-1252")
    #expect(d.text == "“a”")
  }

  @Test func utf8BOMWinsOverDeclaration() {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("é".utf8)
    let d = TextDecoder.decode(bytes, declared: "windows-1252")
    #expect(d.encoding == "utf-8")
    #expect(d.text == "é")
  }

  @Test func declaredUTF8IsCheckedAgainstTheBytes() {
    let d = TextDecoder.decode([0x63, 0x61, 0x66, 0xE9], declared: "utf-8")
    #expect(d.encoding == "windows-1252")
    #expect(d.text == "café")
    #expect(d.warnings.contains { $0.contains("not valid UTF-8") })
  }

  @Test(arguments: [
    ("utf-16le", [0xFF, 0xFE, 0x41, 0x00, 0x3A, 0x04] as [UInt8]),
    ("utf-16be", [0xFE, 0xFF, 0x00, 0x41, 0x04, 0x3A]),
  ])
  func utf16WithBOM(expected: String, bytes: [UInt8]) {
    let d = TextDecoder.decode(bytes)
    #expect(d.encoding == expected)
    #expect(d.text == "Aк")
  }

  @Test func unpairedSurrogateAndOddByteAreReplaced() {
    let d = TextDecoder.decode([0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00, 0x42])
    #expect(d.text == "\u{FFFD}A\u{FFFD}")
    #expect(d.warnings.count == 2)
  }

  @Test func mostlyUTF8WithDamageKeepsUTF8() {
    var bytes = Array(String(repeating: "Überwachung – ", count: 20).utf8)
    bytes.insert(0xFF, at: 10)
    let d = TextDecoder.decode(bytes)
    #expect(d.encoding == "utf-8")
    #expect(d.text.contains("\u{FFFD}"))
    #expect(d.warnings.first?.contains("replaced by U+FFFD") == true)
  }

  @Test func otherEncodingsGoThroughIconv() {
    // "Камера" in KOI8-R and in windows-1251.
    let koi8: [UInt8] = [0xEB, 0xC1, 0xCD, 0xC5, 0xD2, 0xC1]
    #expect(TextDecoder.decode(koi8, declared: "koi8-r").text == "Камера")
    let cp1251: [UInt8] = [0xCA, 0xE0, 0xEC, 0xE5, 0xF0, 0xE0]
    #expect(TextDecoder.decode(cp1251, declared: "windows-1251").text == "Камера")
    // "监控" in GB2312 (decoded as GBK/GB18030).
    let gb: [UInt8] = [0xBC, 0xE0, 0xBF, 0xD8]
    let d = TextDecoder.decode(gb, declared: "gb2312")
    #expect(d.encoding == "gbk")
    #expect(d.text == "监控")
  }

  @Test func invalidBytesInADeclaredEncodingBecomeReplacementCharacters() {
    // 0xFF is not a valid Shift_JIS lead byte.
    let d = TextDecoder.decode([0x41, 0xFF, 0x42], declared: "shift_jis")
    #expect(d.text.contains("\u{FFFD}"))
    #expect(d.text.hasPrefix("A"))
    #expect(!d.warnings.isEmpty)
  }

  @Test func unknownLabelIsReportedAndGuessed() {
    let d = TextDecoder.decode(Array("plain".utf8), declared: "x-klingon")
    #expect(d.encoding == "utf-8")
    #expect(d.warnings.first?.contains("unknown encoding label") == true)
  }

  @Test func labelsAreMatchedCaseInsensitively() {
    #expect(TextDecoder.canonicalName(forLabel: " Windows-1252 ") == "windows-1252")
    #expect(TextDecoder.canonicalName(forLabel: "US-ASCII") == "windows-1252")
    #expect(TextDecoder.canonicalName(forLabel: "GB2312") == "gbk")
    #expect(TextDecoder.canonicalName(forLabel: "nonsense") == nil)
  }
}
