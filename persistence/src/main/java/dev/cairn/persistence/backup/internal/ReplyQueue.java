package dev.cairn.persistence.backup.internal;

import java.util.concurrent.BlockingQueue;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.Props;

/**
 * INTERNAL API. A classic actor that puts every message it receives into a queue, so a tool
 * thread can speak a plugin's actor protocol (journal replies go to the "persistent actor").
 */
public final class ReplyQueue extends AbstractActor {
  private final BlockingQueue<Object> queue;

  public ReplyQueue(BlockingQueue<Object> queue) {
    this.queue = queue;
  }

  public static Props props(BlockingQueue<Object> queue) {
    return Props.create(ReplyQueue.class, () -> new ReplyQueue(queue));
  }

  @Override
  public Receive createReceive() {
    return receiveBuilder().matchAny(queue::add).build();
  }
}
