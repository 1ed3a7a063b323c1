package io.natsboot.core;

import java.time.Duration;

import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.natsboot.core.NatsTemplateTestSupport.withTemplate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Bad input gets a clear exception naming what was wrong, and nothing is sent.
 */
@WithNatsServer(jetStream = false)
class NatsTemplateBadInputTests {

	static String url;

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "a b", "a..b", ".a", "a.", "a.*", "a.>", "a*.b" })
	void invalidPublishSubjectsAreRefused(String subject) {
		withTemplate(url, "",
				(template) -> assertThatExceptionOfType(NatsInvalidSubjectException.class)
					.isThrownBy(() -> template.publish(subject, "x"))
					.withMessageContaining("Subject"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "a b", "a..b", "a.>.b", "a.b*" })
	void invalidSubscribeSubjectsAreRefused(String subject) {
		withTemplate(url, "", (template) -> assertThatExceptionOfType(NatsInvalidSubjectException.class)
			.isThrownBy(() -> template.subscribe(subject, (message) -> {
			})));
	}

	@Test
	void anEmptyQueueGroupIsRefused() {
		withTemplate(url, "", (template) -> assertThatExceptionOfType(NatsInvalidSubjectException.class)
			.isThrownBy(() -> template.subscribe("tasks", " ", (message) -> {
			}))
			.withMessageContaining("Queue group"));
	}

	@Test
	void anOversizedPayloadIsRefusedNamingTheLimit() {
		withTemplate(url, "big", (template) -> {
			long max = template.getConnection().getMaxPayload();
			long sentBefore = template.getConnection().getStatistics().getOutBytes();
			assertThatExceptionOfType(NatsPayloadTooLargeException.class)
				.isThrownBy(() -> template.publish("blobs", new byte[(int) max + 1]))
				.withMessageContaining("big.blobs")
				.withMessageContaining("max payload of " + max + " bytes");
			assertThat(template.getConnection().getStatistics().getOutBytes()).isEqualTo(sentBefore);
		});
	}

	@Test
	void anUnconvertibleObjectNamesSubjectAndType() {
		withTemplate(url, "",
				(template) -> assertThatExceptionOfType(NatsConversionException.class)
					.isThrownBy(() -> template.publish("things", new Unserializable()))
					.withMessageContaining("'things'")
					.withMessageContaining(Unserializable.class.getName()));
	}

	@Test
	void anUnreadablePayloadNamesSubjectAndType() {
		withTemplate(url, "", (template) -> {
			NatsMessage message = NatsMessage.builder("things").payload("not json").build();
			NatsMessage received = NatsMessage.received(
					new io.nats.client.impl.NatsMessage("things", null, message.payload()),
					template.getSubjectResolver(), template.getMessageConverter());
			assertThatExceptionOfType(NatsConversionException.class)
				.isThrownBy(() -> received.payloadAs(NatsTemplatePubSubTests.Order.class))
				.withMessageContaining("'things'")
				.withMessageContaining("Order");
		});
	}

	@Test
	void anInvalidNamespaceFailsStartupNamingTheProperty() {
		NatsTemplateTestSupport.contextRunner(url)
			.withPropertyValues("nats.namespace=my app")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("nats.namespace"));
	}

	@Test
	void requestsNeedAConcreteSubject() {
		withTemplate(url, "", (template) -> assertThatExceptionOfType(NatsInvalidSubjectException.class)
			.isThrownBy(() -> template.request("service.*", "x", Duration.ofSeconds(1))));
	}

	/** Jackson finds no properties to write and refuses the bean. */
	static class Unserializable {

		private final Object inner = new Object();

	}

}
