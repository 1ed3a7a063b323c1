package io.natsboot.test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisServerProcessTests {

	@Test
	void startsOnAFreePortAndAnswersCommands() throws Exception {
		try (RedisServerProcess redis = RedisServerProcess.startDefault()) {
			assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
			assertThat(command(redis, "SET greeting hello")).isEqualTo("+OK");
		}
	}

	@Test
	void restartKeepsThePortAndStartsEmpty() throws Exception {
		try (RedisServerProcess redis = RedisServerProcess.startDefault()) {
			command(redis, "SET greeting hello");
			redis.restart();
			assertThat(redis.isRunning()).isTrue();
			assertThat(command(redis, "EXISTS greeting")).isEqualTo(":0");
		}
	}

	@Test
	void extraArgumentsReachTheServer() throws Exception {
		try (RedisServerProcess redis = RedisServerProcess.start(0, "--notify-keyspace-events", "Ex")) {
			assertThat(command(redis, "CONFIG GET notify-keyspace-events")).isEqualTo("*2");
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
