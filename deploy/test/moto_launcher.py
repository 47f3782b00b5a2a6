"""Runs a moto server on 127.0.0.1 for the deploy tests, with five gaps of moto 5.2 filled (written against 5.2.1).

1. moto's CloudFormation does not model AWS::Transfer::Server. Here it is created through moto's own
   Transfer Family backend (the one `aws transfer create-server` uses), with CloudFormation's semantics:
   Ref gives the server's ARN, Fn::GetAtt gives Arn and ServerId.
2. Nor AWS::ApiGateway::Stage: here it is created through moto's API Gateway backend; Ref gives its name.
3. moto splits a CommaDelimitedList parameter only when it is passed, not its default: here the default
   is split too.
4. moto creates a resource as soon as another one refers to it, even before the resources it DependsOn
   (an API deployment before the API's method, which the real API Gateway refuses): here the DependsOn
   resources are created first.
5. moto computes a stack's outputs when a change set is created, before its resources exist, so after
   `aws cloudformation deploy` (create-change-set + execute-change-set) every output is empty. Here the
   outputs are computed again once the change set has run, as CloudFormation does.

Usage: python3 moto_launcher.py PORT_FILE. Writes the port it listens on to PORT_FILE, then serves until
it is terminated.
"""

import signal
import sys
from typing import Any

from moto.cloudformation.models import CloudFormationBackend
from moto.cloudformation.parsing import ResourceMap
from moto.core.common_models import CloudFormationModel
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.apigateway.models import apigateway_backends
from moto.transfer.models import transfer_backends


class TransferServerResource(CloudFormationModel):
    """AWS::Transfer::Server, backed by moto's Transfer Family backend."""

    # moto files every model under the service named by the module's second component.
    __module__ = "moto.transfer.deploy_test"

    def __init__(self, server: Any):
        self.server = server

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::Transfer::Server"

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any],
                                        account_id: str, region_name: str, **kwargs: Any) -> "TransferServerResource":
        properties = cloudformation_json.get("Properties", {})
        backend = transfer_backends[account_id][region_name]
        server_id = backend.create_server(
            certificate=properties.get("Certificate"),
            domain=properties.get("Domain"),
            endpoint_details=properties.get("EndpointDetails"),
            endpoint_type=properties.get("EndpointType"),
            host_key=properties.get("HostKey"),
            identity_provider_details=properties.get("IdentityProviderDetails"),
            identity_provider_type=properties.get("IdentityProviderType"),
            logging_role=properties.get("LoggingRole"),
            post_authentication_login_banner=properties.get("PostAuthenticationLoginBanner"),
            pre_authentication_login_banner=properties.get("PreAuthenticationLoginBanner"),
            protocols=properties.get("Protocols"),
            protocol_details=properties.get("ProtocolDetails"),
            security_policy_name=properties.get("SecurityPolicyName"),
            structured_log_destinations=properties.get("StructuredLogDestinations"),
            s3_storage_options=properties.get("S3StorageOptions"),
            tags=properties.get("Tags"),
            workflow_details=properties.get("WorkflowDetails"),
        )
        return cls(backend.servers[server_id])

    @property
    def physical_resource_id(self) -> str:
        return self.server.arn

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in ("Arn", "ServerId")

    def get_cfn_attribute(self, attribute_name: str) -> str:
        if attribute_name == "Arn":
            return self.server.arn
        if attribute_name == "ServerId":
            return self.server.server_id
        raise NotImplementedError(f"AWS::Transfer::Server has no attribute {attribute_name}")


class ApiGatewayStageResource(CloudFormationModel):
    """AWS::ApiGateway::Stage, backed by moto's API Gateway backend."""

    __module__ = "moto.apigateway.deploy_test"

    def __init__(self, name: str):
        self.name = name

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGateway::Stage"

    @staticmethod
    def cloudformation_name_type() -> str:
        return "StageName"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict[str, Any],
                                        account_id: str, region_name: str, **kwargs: Any) -> "ApiGatewayStageResource":
        properties = cloudformation_json["Properties"]
        # moto's Deployment has no physical id, so its Ref gives the Deployment itself.
        deployment = properties["DeploymentId"]
        apigateway_backends[account_id][region_name].create_stage(
            function_id=properties["RestApiId"], stage_name=properties["StageName"],
            deploymentId=deployment if isinstance(deployment, str) else deployment.id, variables=properties.get("Variables"),
            description=properties.get("Description", ""), tracing_enabled=properties.get("TracingEnabled"))
        return cls(properties["StageName"])

    @property
    def physical_resource_id(self) -> str:
        return self.name


_get_resource = ResourceMap.__getitem__


def get_resource_after_its_dependencies(self: ResourceMap, logical_id: str) -> Any:
    if logical_id not in self._parsed_resources:
        depends_on = (self._resource_json_map.get(logical_id) or {}).get("DependsOn", [])
        for dependency in [depends_on] if isinstance(depends_on, str) else depends_on:
            self[dependency]
    return _get_resource(self, logical_id)


ResourceMap.__getitem__ = get_resource_after_its_dependencies

_load_parameters = ResourceMap.load_parameters


def load_parameters_splitting_list_defaults(self: ResourceMap) -> None:
    _load_parameters(self)
    for name, slot in self._template.get("Parameters", {}).items():
        value = self.resolved_parameters.get(name)
        if slot.get("Type") == "CommaDelimitedList" and isinstance(value, str):
            self.resolved_parameters[name] = value.split(",")
            self._parsed_resources[name] = self.resolved_parameters[name]


ResourceMap.load_parameters = load_parameters_splitting_list_defaults

_execute_change_set = CloudFormationBackend.execute_change_set


def execute_change_set_then_outputs(self: CloudFormationBackend, change_set_name: str,
                                    stack_name: str | None = None) -> None:
    _execute_change_set(self, change_set_name, stack_name)
    for stack in self.stacks.values():
        if stack.status in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
            stack._parse_template()
            stack.output_map = stack._create_output_map()


CloudFormationBackend.execute_change_set = execute_change_set_then_outputs


def main() -> None:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    with open(sys.argv[1], "w") as port_file:
        port_file.write(str(server.get_host_and_port()[1]))
    signal.signal(signal.SIGTERM, lambda *_: (server.stop(), sys.exit(0)))
    signal.pause()


if __name__ == "__main__":
    main()
