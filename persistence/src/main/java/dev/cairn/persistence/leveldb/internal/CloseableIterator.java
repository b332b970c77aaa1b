package dev.cairn.persistence.leveldb.internal;

import java.util.Iterator;

/** An iterator over LevelDB data that must be closed (it holds a LevelDB iterator and snapshot). */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {
  @Override
  void close();
}
