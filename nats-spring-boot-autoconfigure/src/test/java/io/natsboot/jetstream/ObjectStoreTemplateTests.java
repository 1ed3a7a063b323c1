package io.natsboot.jetstream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Consumer;

import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectMeta;
import io.nats.client.impl.Headers;
import io.natsboot.autoconfigure.NatsAutoConfiguration;
import io.natsboot.core.NatsTemplate;
import io.natsboot.core.ObjectStoreOperations;
import io.natsboot.core.StoredObject;
import io.natsboot.test.NatsServerProcess;
import io.natsboot.test.WithNatsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The object store, against a real JetStream server: objects far larger than a message.
 */
@WithNatsServer
class ObjectStoreTemplateTests {

	static String url;

	@BeforeAll
	static void server(NatsServerProcess server) {
		url = server.url();
	}

	@Test
	void aFiveMebibyteObjectRoundTripsWithItsMetadata() {
		withTemplate("files", (template) -> {
			ObjectStoreOperations store = template.objectStore("documents");
			byte[] data = new byte[5 * 1024 * 1024];
			new Random(42).nextBytes(data);
			ObjectMeta meta = ObjectMeta.builder("report.bin")
				.description("Quarterly report")
				.headers(new Headers().put("owner", "finance"))
				.build();

			ObjectInfo stored = store.put(meta, new ByteArrayInputStream(data));

			assertThat(stored.getSize()).isEqualTo(data.length);
			assertThat(stored.getChunks()).isGreaterThan(1);
			assertThat(stored.getBucket()).isEqualTo("files_documents");
			StoredObject read = store.get("report.bin");
			assertThat(read).isNotNull();
			assertThat(read.data()).isEqualTo(data);
			assertThat(read.info().getDescription()).isEqualTo("Quarterly report");
			assertThat(read.info().getHeaders().getFirst("owner")).isEqualTo("finance");
			assertThat(store.status().getSize()).isGreaterThanOrEqualTo(data.length);
		});
	}

	@Test
	void bytesAndFilesListInfoAndDelete(@TempDir Path directory) throws Exception {
		Path file = Files.writeString(directory.resolve("config.ini"), "[db]\nhost=localhost\n");
		long fileSize = Files.size(file);
		withTemplate("", (template) -> {
			ObjectStoreOperations store = template.objectStore("assets");
			store.put("logo.txt", "NATS".getBytes(StandardCharsets.UTF_8));
			store.put(file);

			assertThat(store.list()).extracting(ObjectInfo::getObjectName)
				.containsExactlyInAnyOrder("logo.txt", "config.ini");
			assertThat(store.info("config.ini").getSize()).isEqualTo(fileSize);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			assertThat(store.get("config.ini", out)).isNotNull();
			assertThat(out.toString(StandardCharsets.UTF_8)).contains("host=localhost");

			assertThat(store.delete("logo.txt")).isTrue();
			assertThat(store.delete("logo.txt")).isFalse();
			assertThat(store.get("logo.txt")).isNull();
			assertThat(store.info("missing")).isNull();
			assertThat(store.list()).extracting(ObjectInfo::getObjectName).containsExactly("config.ini");
		});
	}

	private static void withTemplate(String namespace, Consumer<NatsTemplate> scenario) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsAutoConfiguration.class))
			.withPropertyValues("nats.servers=" + url, "nats.startup=fail", "nats.namespace=" + namespace)
			.run((context) -> scenario.accept(context.getBean(NatsTemplate.class)));
	}

}
