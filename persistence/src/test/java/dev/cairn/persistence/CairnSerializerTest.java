package dev.cairn.persistence;

import static org.junit.jupiter.api.Assertions.*;

import dev.cairn.persistence.internal.CairnSerializer;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CairnSerializerTest {

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(PolicyTestSupport.testkitConfig()).build();

  @Test
  void cairnSerializableIsBoundToTheLenientJacksonCborSerializer() {
    Serialization ser = SerializationExtension.get(Adapter.toClassic(kit.system()));
    Serializer s = ser.findSerializerFor(new Counter.Added(1));
    assertInstanceOf(CairnSerializer.class, s);
    assertEquals(7301, s.identifier());
    Object back = ser.deserialize(s.toBinary(new Counter.Added(5)), s.identifier(), Serializers.manifestFor(s, new Counter.Added(5))).get();
    assertEquals(new Counter.Added(5), back);
  }

  @Test
  void anUnreadablePayloadBecomesAPlaceholderThatSerializesBackToTheSameBytes() {
    Serialization ser = SerializationExtension.get(Adapter.toClassic(kit.system()));
    Serializer s = ser.findSerializerFor(new Counter.Added(9901));
    byte[] bytes = s.toBinary(new Counter.Added(9901));
    String manifest = Serializers.manifestFor(s, new Counter.Added(9901));
    Counter.UNREADABLE_AMOUNTS.add(9901);
    try {
      UnreadablePayload u = assertInstanceOf(UnreadablePayload.class, ser.deserialize(bytes, s.identifier(), manifest).get());
      assertEquals(manifest, u.manifest());
      assertEquals(7301, u.serializerId());
      assertTrue(u.cause().contains("unreadable amount 9901"), u.cause());
      Serializer again = ser.findSerializerFor(u);
      assertArrayEquals(bytes, again.toBinary(u));
      assertEquals(manifest, Serializers.manifestFor(again, u));
    } finally {
      Counter.UNREADABLE_AMOUNTS.remove(9901);
    }
    assertEquals(new Counter.Added(9901), ser.deserialize(bytes, s.identifier(), manifest).get());
  }

  @Test
  void aClassPekkoDoesNotAllowStaysRefusedOnEveryReadWhileAllowedOnesUseTheFastPath() {
    Serialization ser = SerializationExtension.get(Adapter.toClassic(kit.system()));
    CairnSerializer s = (CairnSerializer) ser.findSerializerFor(new Counter.Added(1));
    // valid CBOR for an object, under the manifest of a class that is not bound to a Jackson serializer
    byte[] bytes = s.toBinary(new Counter.Added(7));
    for (int i = 0; i < 3; i++) {
      UnreadablePayload u = assertInstanceOf(UnreadablePayload.class, s.fromBinary(bytes, "java.util.concurrent.atomic.AtomicLong"));
      assertTrue(u.cause().contains("allowed for security reasons"), u.cause());
    }
    String manifest = s.manifest(new Counter.Added(7));
    for (int i = 0; i < 3; i++) assertEquals(new Counter.Added(7), s.fromBinary(bytes, manifest));
    assertEquals(manifest, s.manifest(new Counter.Added(8)));
  }
}
