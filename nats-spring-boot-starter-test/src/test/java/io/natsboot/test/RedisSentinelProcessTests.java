package io.natsboot.test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisSentinelProcessTests {

	@Test
	void sentinelNamesItsMasterAndCloseStopsBoth() throws Exception {
		Path directory;
		RedisServerProcess master;
		try (RedisSentinelProcess sentinel = RedisSentinelProcess.startDefault()) {
			master = sentinel.master();
			directory = sentinel.workDirectory();
			assertThat(sentinel.node()).isEqualTo("127.0.0.1:" + sentinel.port());
			assertThat(sentinel.masterName()).isEqualTo(RedisSentinelProcess.DEFAULT_MASTER_NAME);
			assertThat(command(sentinel, "SENTINEL get-master-addr-by-name mymaster")).contains("127.0.0.1",
					String.valueOf(master.port()));
			assertThat(master.isRunning()).isTrue();
		}
		assertThat(master.isRunning()).isFalse();
		assertThat(directory).doesNotExist();
	}

	private static String command(ServerProcess server, String command) throws Exception {
		try (Socket socket = new Socket(server.host(), server.port())) {
			OutputStream out = socket.getOutputStream();
			out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[256];
			int read = in.read(reply);
			return new String(reply, 0, Math.max(0, read), StandardCharsets.US_ASCII);
		}
	}

}
