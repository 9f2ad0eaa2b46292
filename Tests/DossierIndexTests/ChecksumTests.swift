import DossierTestSupport
import Testing

@testable import DossierIndex

@Suite("CRC-32C")
struct ChecksumTests {
  @Test("known vectors (RFC 3720 B.4, the check value)")
  func knownVectors() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
    #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
    #expect(CRC32C.checksum([]) == 0)
  }

  @Test("incremental updates equal one pass, at every split")
  func incremental() {
    var rng = SeededRandom(seed: 1)
    let data = (0..<300).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let whole = CRC32C.checksum(data)
    for split in 0...data.count {
      var c = CRC32C()
      c.update(Array(data[..<split]))
      c.update(Array(data[split...]))
      #expect(c.value == whole)
    }
  }

  @Test("slicing-by-8 agrees with the bytewise definition")
  func againstBitwise() {
    var rng = SeededRandom(seed: 2)
    for n in [1, 7, 8, 9, 63, 64, 65, 1000] {
      let data = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
      var crc: UInt32 = 0xFFFF_FFFF
      for b in data {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
      }
      #expect(CRC32C.checksum(data) == crc ^ 0xFFFF_FFFF)
    }
  }
}
