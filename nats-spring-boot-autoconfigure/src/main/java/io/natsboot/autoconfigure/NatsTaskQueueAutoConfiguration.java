package io.natsboot.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.observation.ObservationRegistry;
import io.natsboot.core.NatsConnectionReadiness;
import io.natsboot.core.NatsSubjectResolver;
import io.natsboot.core.NatsTemplate;
import io.natsboot.jetstream.PullWorkerMetrics;
import io.natsboot.observation.TaskEnqueueObservationConvention;
import io.natsboot.observation.TaskRunObservationConvention;
import io.natsboot.task.NatsTaskQueue;
import io.natsboot.task.TaskMetrics;
import io.natsboot.task.TaskObservations;
import io.natsboot.task.TaskQueue;
import io.natsboot.task.TaskQueueProvisioner;
import io.natsboot.task.TaskQueueSettings;
import io.natsboot.task.TaskRetryPolicy;
import io.natsboot.task.TaskWireFormat;
import io.natsboot.task.TaskWorkerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the task queue: the {@link TaskQueue} bean and the workers of
 * {@link io.natsboot.annotation.TaskHandler} methods, configured by
 * {@code nats.task-queue.*}. The stream and buckets are created on every connect when the
 * application has task handlers, and at the first use of the {@link TaskQueue} otherwise.
 */
@AutoConfiguration(after = NatsAutoConfiguration.class)
@ConditionalOnBean(NatsTemplate.class)
@ConditionalOnBooleanProperty(name = "nats.task-queue.enabled", matchIfMissing = true)
public final class NatsTaskQueueAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TaskQueueSettings taskQueueSettings(NatsProperties properties, NatsTemplate natsTemplate) {
		NatsProperties.TaskQueue taskQueue = properties.getTaskQueue();
		NatsSubjectResolver subjects = natsTemplate.getSubjectResolver();
		if (!taskQueue.getStream().matches("[A-Za-z0-9_-]+")) {
			throw new InvalidConfigurationPropertyValueException("nats.task-queue.stream", taskQueue.getStream(),
					"Use letters, digits, '-' and '_' only");
		}
		NatsProperties.TaskQueue.Retry retry = taskQueue.getRetry();
		positive("nats.task-queue.retry.max-attempts", retry.getMaxAttempts());
		if (retry.getInitialInterval().isNegative()) {
			throw new InvalidConfigurationPropertyValueException("nats.task-queue.retry.initial-interval",
					retry.getInitialInterval(), "Use 0 or a positive duration");
		}
		if (retry.getMaxInterval().isNegative()) {
			throw new InvalidConfigurationPropertyValueException("nats.task-queue.retry.max-interval",
					retry.getMaxInterval(), "Use 0 or a positive duration");
		}
		if (retry.getMultiplier() < 1) {
			throw new InvalidConfigurationPropertyValueException("nats.task-queue.retry.multiplier",
					retry.getMultiplier(), "Use 1 or more");
		}
		if (retry.getJitter() < 0 || retry.getJitter() > 1) {
			throw new InvalidConfigurationPropertyValueException("nats.task-queue.retry.jitter", retry.getJitter(),
					"Use a fraction from 0 to 1");
		}
		TaskRetryPolicy policy = new TaskRetryPolicy(retry.getMaxAttempts(), retry.getInitialInterval(),
				retry.getMultiplier(), retry.getMaxInterval(), retry.getJitter());
		positive("nats.task-queue.batch-size", taskQueue.getBatchSize());
		positive("nats.task-queue.concurrency", taskQueue.getConcurrency());
		return new TaskQueueSettings(subjects.forName(taskQueue.getStream()),
				subjects.forName(taskQueue.getStream() + "_DEAD"), subjects.forName("TASK_STATUS"),
				subjects.forName("TASK_RESULTS"),
				NatsOptionsFactory.positive("nats.task-queue.ack-wait", taskQueue.getAckWait()), policy,
				taskQueue.getBatchSize(), taskQueue.getConcurrency(),
				NatsOptionsFactory.positive("nats.task-queue.result-ttl", taskQueue.getResultTtl()),
				taskQueue.getMaxMsgs(), taskQueue.getMaxBytes(),
				NatsOptionsFactory.replicas("nats.task-queue.replicas", taskQueue.getReplicas(),
						properties.getJetstream()),
				NatsOptionsFactory.positive("nats.task-queue.duplicate-window", taskQueue.getDuplicateWindow()),
				properties.getDrainTimeout(), NatsOptionsFactory.failoverTimeout(properties.getJetstream()),
				new TaskWireFormat(NatsOptionsFactory.systemSubjects(properties)),
				notNegative("nats.task-queue.prefetch", taskQueue.getPrefetch()), queues(taskQueue));
	}

	private static Map<String, TaskQueueSettings.Queue> queues(NatsProperties.TaskQueue taskQueue) {
		Map<String, TaskQueueSettings.Queue> queues = new LinkedHashMap<>();
		taskQueue.getQueues().forEach((name, queue) -> {
			try {
				TaskWireFormat.checkQueueName(name);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidConfigurationPropertyValueException("nats.task-queue.queues", name, ex.getMessage());
			}
			Integer prefetch = queue.getPrefetch();
			queues.put(name, new TaskQueueSettings.Queue(queue.getTracking(), (prefetch != null)
					? notNegative("nats.task-queue.queues." + name + ".prefetch", prefetch) : taskQueue.getPrefetch()));
		});
		return Map.copyOf(queues);
	}

	private static int notNegative(String property, int value) {
		if (value < 0) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Use 0 or more");
		}
		return value;
	}

	private static void positive(String property, int value) {
		if (value < 1) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Use 1 or more");
		}
	}

	@Bean
	@ConditionalOnMissingBean
	TaskQueueProvisioner taskQueueProvisioner(NatsTemplate natsTemplate, TaskQueueSettings settings) {
		return new TaskQueueProvisioner(natsTemplate.getConnection(), natsTemplate.getJetStreamOptions(),
				natsTemplate.getSubjectResolver(), settings);
	}

	@Bean
	@ConditionalOnMissingBean
	TaskWorkerRegistry taskWorkerRegistry(NatsTemplate natsTemplate, TaskQueueSettings settings,
			TaskQueueProvisioner provisioner, ObjectProvider<TaskMetrics> metrics,
			ObjectProvider<PullWorkerMetrics> workerMetrics, ObjectProvider<NatsConnectionReadiness> readiness,
			NatsProperties properties, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<TaskEnqueueObservationConvention> enqueueConvention,
			ObjectProvider<TaskRunObservationConvention> runConvention) {
		TaskWorkerRegistry registry = new TaskWorkerRegistry(natsTemplate, settings, provisioner,
				metrics.getIfUnique(() -> TaskMetrics.NONE), workerMetrics.getIfUnique(() -> PullWorkerMetrics.NONE),
				readiness.getIfUnique());
		boolean observed = properties.getObservation().isTaskQueue();
		registry.setObservations(
				new TaskObservations(NatsObservationSupport.settings(observed, observationRegistry, enqueueConvention),
						NatsObservationSupport.settings(observed, observationRegistry, runConvention)));
		return registry;
	}

	@Bean
	@ConditionalOnMissingBean(TaskQueue.class)
	NatsTaskQueue taskQueue(NatsTemplate natsTemplate, TaskQueueSettings settings, TaskQueueProvisioner provisioner,
			TaskWorkerRegistry registry) {
		return new NatsTaskQueue(natsTemplate, settings, provisioner, registry);
	}

}
