package io.natsboot.test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisClusterProcessTests {

	@Test
	void startsThreeMastersThatServeEverySlotAndCloseDeletesTheirDirectories() throws Exception {
		List<Path> directories = new ArrayList<>();
		try (RedisClusterProcess cluster = RedisClusterProcess.startDefault()) {
			assertThat(cluster.nodes()).hasSize(3).allMatch((node) -> node.matches("127\\.0\\.0\\.1:\\d+"));
			for (RedisServerProcess server : cluster.servers()) {
				assertThat(command(server, "CLUSTER INFO")).isNotEmpty();
				directories.add(server.workDirectory());
				assertThat(server.workDirectory().resolve("nodes.conf")).exists();
			}
			directories.add(cluster.workDirectory());
			// a key is served by exactly one master; the others redirect to it
			int served = 0;
			for (RedisServerProcess server : cluster.servers()) {
				String reply = command(server, "SET greeting hello");
				if (reply.equals("+OK")) {
					served++;
				}
				else {
					assertThat(reply).startsWith("-MOVED");
				}
			}
			assertThat(served).isEqualTo(1);
		}
		assertThat(directories).noneMatch(Files::exists);
	}

	@Test
	void onlyTheFirstBracedPartOfAKeyChoosesItsSlot() throws Exception {
		try (RedisClusterProcess cluster = RedisClusterProcess.startDefault()) {
			RedisServerProcess any = cluster.servers().get(0);
			String slot = command(any, "CLUSTER KEYSLOT keystore");
			assertThat(command(any, "CLUSTER KEYSLOT {keystore}:user:1")).isEqualTo(slot);
			assertThat(command(any, "CLUSTER KEYSLOT {keystore}#meta:{other}:x")).isEqualTo(slot);
			assertThat(command(any, "CLUSTER KEYSLOT {keystore}:}{y}")).isEqualTo(slot);
		}
	}

	private static String command(RedisServerProcess redis, String command) throws Exception {
		try (Socket socket = new Socket(redis.host(), redis.port())) {
			OutputStream out = socket.getOutputStream();
			out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
		}
	}

}
