package dev.cairn.persistence.leveldb;

/**
 * Every case of {@link JournalContractTest} with {@code write-response-global-order = on}: the
 * journal then leaves write replies to Pekko's {@code AsyncWriteJournal} (through its
 * resequencer), and must keep the same contract.
 */
class JournalContractGlobalOrderTest extends JournalContractTest {
  @Override
  String extraConfig() {
    return "cairn.persistence.journal.leveldb.write-response-global-order = on\n";
  }
}
