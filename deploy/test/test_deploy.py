"""Tests of deploy/sftpidp-idp.yaml and docs/deploy.md (run by scripts/test-deploy.sh, which starts moto).

1. cfn-lint finds no error and no warning in deploy/*.yaml.
2. The stack comes up in moto's CloudFormation in both identity-provider modes, with a new server and with an
   existing one, and every resource moto models has the properties the template promises.
3. The API's mapping template turns API Gateway requests into exactly the flat event of direct invocation.
4. docs/deploy.md: every shell block runs against moto, in order, except the blocks marked `# [real AWS]` or
   `# [build]`; every `aws` command in it exists in the AWS CLI with the options shown.

Environment: MOTO_URL (http://127.0.0.1:PORT), SFTPIDP_BIN (the sftpidp binary), REPO (the repository),
DEPLOY_TEST_WORK (where temporary files go; the script removes it, whatever happens),
LAMBDA_ZIP (the function's zip: the real one when it was built, or a stand-in holding a `bootstrap` file:
moto stores the code but never runs it).
"""

import ast
import base64
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import textwrap
import traceback
import urllib.request
from pathlib import Path

import boto3
import yaml

sys.path.insert(0, str(Path(__file__).parent))
from mapping_template import Request, escape_javascript, render  # noqa: E402

REPO = Path(os.environ["REPO"])
MOTO_URL = os.environ["MOTO_URL"]
SFTPIDP_BIN = os.environ["SFTPIDP_BIN"]
LAMBDA_ZIP = Path(os.environ["LAMBDA_ZIP"])
TEMPLATE_PATH = REPO / "deploy" / "sftpidp-idp.yaml"
DOC_PATH = REPO / "docs" / "deploy.md"
REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
CODE_BUCKET = "sftpidp-test-code"
CODE_KEY = "sftpidp/sftpidp-lambda.zip"
EXISTING_SERVER = "s-0123456789abcdef0"
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"

AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION, "AWS_ENDPOINT_URL": MOTO_URL,
}
os.environ.update(AWS_ENV)
for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
    os.environ.pop(name, None)


DOC_REGION = "eu-west-1"  # the region docs/deploy.md uses


def client(service, region=REGION):
    return boto3.client(service, region_name=region, endpoint_url=MOTO_URL)


def reset_moto():
    urllib.request.urlopen(urllib.request.Request(f"{MOTO_URL}/moto-api/reset", method="POST")).read()


class _CfnLoader(yaml.SafeLoader):
    """Reads a CloudFormation YAML template, keeping short-form functions as {"Fn::X": ...}."""


def _intrinsic(loader, tag, node):
    name = "Ref" if tag == "!Ref" else f"Fn::{tag[1:]}"
    if isinstance(node, yaml.SequenceNode):
        return {name: loader.construct_sequence(node, deep=True)}
    if isinstance(node, yaml.MappingNode):
        return {name: loader.construct_mapping(node, deep=True)}
    value = loader.construct_scalar(node)
    return {name: value.split(".", 1) if tag == "!GetAtt" else value}


_CfnLoader.add_multi_constructor("!", _intrinsic)
TEMPLATE = yaml.load(TEMPLATE_PATH.read_text(), Loader=_CfnLoader)

# ---------------------------------------------------------------------------------------------- the runner

RESULTS = {"passed": 0, "failed": 0}


def check(name, function, *arguments):
    try:
        function(*arguments)
    except Exception as error:  # a failed check is reported and the others still run
        RESULTS["failed"] += 1
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        if not isinstance(error, AssertionError):
            detail += "\n" + "".join(traceback.format_tb(error.__traceback__)[-2:])
        print(f"FAIL {name}: {detail}", flush=True)
    else:
        RESULTS["passed"] += 1
        print(f"ok   {name}", flush=True)


def expect_equal(actual, expected, what):
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


# ---------------------------------------------------------------------------------------------- 1. cfn-lint

def cfn_lint_is_clean():
    templates = sorted(str(p) for p in (REPO / "deploy").glob("*.yaml"))
    if not templates:
        raise AssertionError("no template in deploy/")
    run = subprocess.run(["cfn-lint", *templates], capture_output=True, text=True)
    if run.returncode != 0 or run.stdout.strip():
        raise AssertionError(f"cfn-lint exit {run.returncode}:\n{run.stdout}{run.stderr}")


def cfn_lint_catches_a_broken_template():
    # The same lint must fail when the template breaks a rule, or a clean run above proves nothing.
    broken = TEMPLATE_PATH.read_text().replace("Runtime: provided.al2023", "Runtime: provided.al2099")
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as file:
        file.write(broken)
        file.flush()
        run = subprocess.run(["cfn-lint", file.name], capture_output=True, text=True)
    if run.returncode == 0 or "provided.al2099" not in run.stdout:
        raise AssertionError(f"cfn-lint accepted an unknown runtime: {run.stdout}")


PARAMETER_VALUES = {
    "NamingScheme": (["SFTP/{username}", "{serverId}/{username}", "aws/transfer/{serverId}/{username}",
                      "partners/{username}"],
                     ["SFTP/{username}/x", "{username}{username}", "SFTP/{user}", "SFTP/{serverid}/{username}",
                      "SFTP {username}", ""]),
    "SecretNamePrefix": (["", "SFTP/", "aws/transfer/s-0123456789abcdef0/"], ["SFTP/*", "a b/"]),
    "ExistingServerId": (["", "s-0123456789abcdef0"], ["s-0123", "S-0123456789ABCDEF0", "s-0123456789abcdef0 "]),
    "SecretsKmsKeyArn": (["", KMS_KEY, "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/abc-1"],
                         ["alias/aws/secretsmanager", "arn:aws:kms:eu-west-1:123:key/x"]),
    "CodeBucket": (["sftpidp-code-123456789012-eu-west-1"], ["Has_Capitals", "ab", "s3://bucket"]),
    "VpcId": (["", "vpc-0123abcd", "vpc-0123456789abcdef0"], ["vpc-xyz", "0123abcd"]),
    "ServerCertificateArn": (["", f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/12ab-34cd"], ["cert"]),
    "SecurityPolicyName": (["TransferSecurityPolicy-2024-01"], ["Policy-2024"]),
}


def parameter_patterns():
    # CloudFormation refuses a value that does not match AllowedPattern (moto does not check: checked here).
    for name, (good, bad) in PARAMETER_VALUES.items():
        parameter = TEMPLATE["Parameters"][name]
        pattern = parameter["AllowedPattern"]
        if "ConstraintDescription" not in parameter:
            raise AssertionError(f"{name} has a pattern without a ConstraintDescription (the error users see)")
        for value in good:
            if not re.fullmatch(pattern, value):
                raise AssertionError(f"{name} refuses {value!r}")
        for value in bad:
            if re.fullmatch(pattern, value):
                raise AssertionError(f"{name} accepts {value!r}")


# ---------------------------------------------------------------------------------------------- 2. moto stacks

def upload_code():
    s3 = client("s3")
    s3.create_bucket(Bucket=CODE_BUCKET)
    s3.put_object(Bucket=CODE_BUCKET, Key=CODE_KEY, Body=LAMBDA_ZIP.read_bytes())


def create_stack(name, parameters):
    cloudformation = client("cloudformation")
    all_parameters = {"CodeBucket": CODE_BUCKET, "CodeKey": CODE_KEY, **parameters}
    cloudformation.create_stack(
        StackName=name, TemplateBody=TEMPLATE_PATH.read_text(), Capabilities=["CAPABILITY_IAM"],
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in all_parameters.items()])
    stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    expect_equal(stack["StackStatus"], "CREATE_COMPLETE", f"{name} status")
    resources = {r["LogicalResourceId"]: r["PhysicalResourceId"]
                 for r in cloudformation.list_stack_resources(StackName=name)["StackResourceSummaries"]
                 if r["LogicalResourceId"]}
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    return resources, outputs


def role_name(arn_or_name):
    return arn_or_name.rsplit("/", 1)[-1]


def statements(document):
    found = document["Statement"]
    return found if isinstance(found, list) else [found]


def actions(statement):
    found = statement["Action"]
    return sorted(found if isinstance(found, list) else [found])


def inline_policies(role):
    iam = client("iam")
    documents = {name: iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
                 for name in iam.list_role_policies(RoleName=role)["PolicyNames"]}
    # moto answers a role's own Policies (not those of AWS::IAM::Policy) as the Python text of the document.
    return {name: ast.literal_eval(document) if isinstance(document, str) else document
            for name, document in documents.items()}


class Case:
    """One stack configuration and what it must produce."""

    def __init__(self, name, mode, create_server, scheme, expected_prefix, extra=None):
        self.name, self.mode, self.create_server, self.scheme = name, mode, create_server, scheme
        self.expected_prefix = expected_prefix  # a callable of the server id
        self.parameters = {"IdentityProviderMode": mode, "CreateServer": str(create_server).lower(),
                           "NamingScheme": scheme, **(extra or {})}
        if not create_server:
            self.parameters["ExistingServerId"] = EXISTING_SERVER
        self.resources, self.outputs = {}, {}

    @property
    def server_id(self):
        return self.outputs["ServerId"]

    @property
    def server_arn(self):
        return f"arn:aws:transfer:{REGION}:{ACCOUNT}:server/{self.server_id}"


CASES = [
    Case("lambda-new-server", "AWS_LAMBDA", True, "SFTP/{username}", lambda _: "SFTP/"),
    Case("apigateway-new-server", "API_GATEWAY", True, "aws/transfer/{serverId}/{username}",
         lambda server: f"aws/transfer/{server}/", {"SecretsKmsKeyArn": KMS_KEY, "LogRetentionDays": "14"}),
    Case("lambda-existing-server", "AWS_LAMBDA", False, "{serverId}/{username}",
         lambda server: f"{server}/", {"CacheTtlSeconds": "0", "LogLevel": "debug", "Argon2Parameters": "m=65536,t=3,p=4"}),
    Case("apigateway-existing-server", "API_GATEWAY", False, "sftp-users/{username}",
         lambda _: "partners/", {"SecretNamePrefix": "partners/"}),
]


def stack_comes_up(case):
    case.resources, case.outputs = create_stack(case.name, case.parameters)
    expected_outputs = {"FunctionArn", "FunctionName", "ServerId"}
    if case.mode == "API_GATEWAY":
        expected_outputs |= {"ApiUrl", "InvocationRoleArn"}
    expect_equal(set(case.outputs), expected_outputs, "outputs")
    if not case.create_server:
        expect_equal(case.server_id, EXISTING_SERVER, "ServerId output")


def function_configuration(case):
    function = client("lambda").get_function_configuration(FunctionName=case.outputs["FunctionName"])
    expect_equal(function["FunctionArn"], case.outputs["FunctionArn"], "FunctionArn output")
    expect_equal(function["Runtime"], "provided.al2023", "Runtime")
    expect_equal(function["Handler"], "bootstrap", "Handler")
    expect_equal(function["Architectures"], ["x86_64"], "Architectures")
    expect_equal(function["Timeout"], 10, "Timeout")
    expect_equal(function["MemorySize"], 512, "MemorySize")
    expect_equal(function["CodeSize"], LAMBDA_ZIP.stat().st_size, "CodeSize (the uploaded zip)")
    role = client("iam").get_role(RoleName=case.resources["IdentityProviderRole"])["Role"]
    expect_equal(function["Role"], role["Arn"], "Role")
    expected_env = {"SFTPIDP_STORE": "aws", "SFTPIDP_NAMING_SCHEME": case.scheme,
                    "SFTPIDP_CACHE_TTL": case.parameters.get("CacheTtlSeconds", "30"),
                    "SFTPIDP_LOG_LEVEL": case.parameters.get("LogLevel", "info"),
                    "SFTPIDP_ARGON2": case.parameters.get("Argon2Parameters", "m=19456,t=2,p=1")}
    if not case.create_server:
        expected_env["SFTPIDP_SERVER_ID"] = EXISTING_SERVER
    # moto keeps a Number parameter a number where CloudFormation passes its text: compared as text.
    variables = {name: str(value) for name, value in function["Environment"]["Variables"].items()}
    expect_equal(variables, expected_env, "environment")


def execution_role_is_least_privilege(case):
    role = case.resources["IdentityProviderRole"]
    trust = client("iam").get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]
    expect_equal(statements(trust), [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                      "Action": "sts:AssumeRole"}], "trust")
    policies = inline_policies(role)
    has_kms = "SecretsKmsKeyArn" in case.parameters
    expected_names = {"sftpidp-identity-provider"} | ({"sftpidp-identity-provider-kms"} if has_kms else set())
    expect_equal(set(policies), expected_names, "policies of the execution role")
    by_sid = {s["Sid"]: s for name in policies for s in statements(policies[name])}
    expect_equal(set(by_sid), {"ReadUserSecrets", "WriteOwnLog"} | ({"DecryptUserSecrets"} if has_kms else set()),
                 "statements")
    for statement in by_sid.values():
        expect_equal(statement["Effect"], "Allow", f"{statement['Sid']} effect")
    secrets = by_sid["ReadUserSecrets"]
    expect_equal(actions(secrets), ["secretsmanager:GetSecretValue"], "secret actions")
    prefix = case.expected_prefix(case.server_id)
    expect_equal(secrets["Resource"], f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{prefix}*", "secret resource")
    log = by_sid["WriteOwnLog"]
    expect_equal(actions(log), ["logs:CreateLogStream", "logs:PutLogEvents"], "log actions")
    log_group = f"/aws/lambda/{case.outputs['FunctionName']}"
    expect_equal(log["Resource"], f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{log_group}:*", "log resource")
    if has_kms:
        kms = by_sid["DecryptUserSecrets"]
        expect_equal(actions(kms), ["kms:Decrypt"], "kms actions")
        expect_equal(kms["Resource"], KMS_KEY, "kms resource")
        expect_equal(kms["Condition"], {"StringEquals": {"kms:ViaService": f"secretsmanager.{REGION}.amazonaws.com"}},
                     "kms condition")


def log_group_retention(case):
    name = f"/aws/lambda/{case.outputs['FunctionName']}"
    groups = client("logs").describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    expect_equal([g["logGroupName"] for g in groups], [name], "log group")
    expect_equal(groups[0].get("retentionInDays"), int(case.parameters.get("LogRetentionDays", "90")), "retention")


def invoke_permission(case):
    policy = json.loads(client("lambda").get_policy(FunctionName=case.outputs["FunctionName"])["Policy"])
    found = statements(policy)
    expect_equal(len(found), 1, "statements in the function's resource policy")
    statement = found[0]
    expect_equal(statement["Action"], "lambda:InvokeFunction", "action")
    expect_equal(statement["Effect"], "Allow", "effect")
    if case.mode == "AWS_LAMBDA":
        expect_equal(statement["Principal"], {"Service": "transfer.amazonaws.com"}, "principal")
        source_arn = case.server_arn
    else:
        expect_equal(statement["Principal"], {"Service": "apigateway.amazonaws.com"}, "principal")
        api = case.resources["IdentityProviderApi"]
        source_arn = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api}/prod/GET/servers/*/users/*/config"
    expect_equal(statement["Condition"], {"StringEquals": {"AWS:SourceAccount": ACCOUNT},
                                          "ArnLike": {"AWS:SourceArn": source_arn}}, "conditions")


def transfer_server(case):
    transfer = client("transfer")
    if not case.create_server:
        expect_equal(transfer.list_servers()["Servers"], [], "servers made by a stack for an existing server")
        expect_equal("TransferServer" in case.resources or "TransferLoggingRole" in case.resources, False,
                     "server resources")
        return
    server = transfer.describe_server(ServerId=case.server_id)["Server"]
    expect_equal(server["Arn"], case.server_arn, "server ARN")
    expect_equal(server["IdentityProviderType"], case.mode, "IdentityProviderType")
    details = server["IdentityProviderDetails"]
    if case.mode == "AWS_LAMBDA":
        expect_equal(details, {"Function": case.outputs["FunctionArn"],
                               "SftpAuthenticationMethods": "PUBLIC_KEY_OR_PASSWORD"}, "IdentityProviderDetails")
    else:
        api = case.resources["IdentityProviderApi"]
        url = f"https://{api}.execute-api.{REGION}.amazonaws.com/prod"
        expect_equal(case.outputs["ApiUrl"], url, "ApiUrl output")
        expect_equal(details, {"Url": url, "InvocationRole": case.outputs["InvocationRoleArn"],
                               "SftpAuthenticationMethods": "PUBLIC_KEY_OR_PASSWORD"}, "IdentityProviderDetails")
    expect_equal(server["Protocols"], ["SFTP"], "Protocols (the default)")
    expect_equal(server["EndpointType"], "PUBLIC", "EndpointType")
    expect_equal(server["Domain"], "S3", "Domain")
    expect_equal(server["SecurityPolicyName"], "TransferSecurityPolicy-2024-01", "SecurityPolicyName")
    logging_role = client("iam").get_role(RoleName=case.resources["TransferLoggingRole"])["Role"]
    expect_equal(server["LoggingRole"], logging_role["Arn"], "LoggingRole")
    expect_equal(statements(logging_role["AssumeRolePolicyDocument"]), [
        {"Effect": "Allow", "Principal": {"Service": "transfer.amazonaws.com"}, "Action": "sts:AssumeRole",
         "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT},
                       "ArnLike": {"aws:SourceArn": f"arn:aws:transfer:{REGION}:{ACCOUNT}:server/*"}}}],
        "logging role trust")
    logging = [s for doc in inline_policies(logging_role["RoleName"]).values() for s in statements(doc)]
    expect_equal([(actions(s), s["Resource"]) for s in logging],
                 [(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                   f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/transfer/*")], "logging role policy")


def rest_api(case):
    if case.mode != "API_GATEWAY":
        expect_equal([k for k in case.resources if "Api" in k], [], "API resources in AWS_LAMBDA mode")
        return
    apigateway = client("apigateway")
    api = case.resources["IdentityProviderApi"]
    resources = {r["path"]: r for r in apigateway.get_resources(restApiId=api)["items"]}
    config = resources.get("/servers/{serverId}/users/{username}/config")
    if config is None:
        raise AssertionError(f"no config resource among {sorted(resources)}")
    expect_equal(set(config.get("resourceMethods", {})), {"GET"}, "methods of the config resource")
    method = apigateway.get_method(restApiId=api, resourceId=config["id"], httpMethod="GET")
    expect_equal(method["authorizationType"], "AWS_IAM", "authorization")
    integration = method["methodIntegration"]
    expect_equal(integration["type"], "AWS", "integration type (non-proxy: the function gets the flat event)")
    expect_equal(integration["httpMethod"], "POST", "integration method")
    expect_equal(integration["uri"], f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/"
                                     f"{case.outputs['FunctionArn']}/invocations", "integration uri")
    stage = apigateway.get_stage(restApiId=api, stageName="prod")
    deployments = [d["id"] for d in apigateway.get_deployments(restApiId=api)["items"]]
    expect_equal([stage["deploymentId"]], deployments, "the prod stage's deployment")
    role = client("iam").get_role(RoleName=role_name(case.outputs["InvocationRoleArn"]))["Role"]
    trust = statements(role["AssumeRolePolicyDocument"])
    server_arn = case.server_arn if not case.create_server else f"arn:aws:transfer:{REGION}:{ACCOUNT}:server/*"
    expect_equal(trust, [{"Effect": "Allow", "Principal": {"Service": "transfer.amazonaws.com"},
                          "Action": "sts:AssumeRole",
                          "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT},
                                        "ArnLike": {"aws:SourceArn": server_arn}}}], "invocation role trust")
    granted = [(s["Sid"], actions(s), s["Resource"])
               for doc in inline_policies(role["RoleName"]).values() for s in statements(doc)]
    api_arn = f"arn:aws:apigateway:{REGION}::/restapis/{api}"
    expect_equal(granted, [
        ("InvokeTheMethod", ["execute-api:Invoke"],
         f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api}/prod/GET/servers/*/users/*/config"),
        ("ReadTheApi", ["apigateway:GET"], [api_arn, f"{api_arn}/*"])], "invocation role policy")


def method_template_properties():
    # moto keeps neither request parameters nor templates nor method responses: checked on the template.
    method = TEMPLATE["Resources"]["GetUserConfigMethod"]["Properties"]
    expect_equal(method["RequestParameters"], {
        "method.request.path.serverId": True, "method.request.path.username": True,
        "method.request.header.Password": False, "method.request.header.PasswordBase64": False,
        "method.request.querystring.protocol": False, "method.request.querystring.sourceIp": False},
        "request parameters")
    integration = method["Integration"]
    expect_equal(set(integration["RequestTemplates"]), {"application/json"}, "request templates")
    expect_equal(integration["PassthroughBehavior"], "WHEN_NO_TEMPLATES", "passthrough")
    expect_equal([r["StatusCode"] for r in integration["IntegrationResponses"]], ["200", "500"], "integration responses")
    expect_equal("SelectionPattern" in integration["IntegrationResponses"][0], False, "200 is the default response")
    expect_equal([r["StatusCode"] for r in method["MethodResponses"]], ["200", "500"], "method responses")


# ---------------------------------------------------------------------------------------------- 3. mapping template

MAPPING = TEMPLATE["Resources"]["GetUserConfigMethod"]["Properties"]["Integration"]["RequestTemplates"]["application/json"]


def flat_event(path, query=None, headers=None):
    text = render(MAPPING, Request(path=path, query=query or {}, headers=headers or {}))
    return json.loads(text)


def mapping_cases():
    server = EXISTING_SERVER
    cases = [
        ("password header", {"serverId": server, "username": "jess"},
         {"protocol": "SFTP", "sourceIp": "203.0.113.7"}, {"Password": "mySup3rS3cr3tPa55w0rd"},
         {"username": "jess", "password": "mySup3rS3cr3tPa55w0rd", "protocol": "SFTP", "serverId": server,
          "sourceIp": "203.0.113.7"}),
        ("quotes, backslashes, slash and a tab in the Password header", {"serverId": server, "username": "jess"},
         {"protocol": "FTPS", "sourceIp": "2001:db8::7"}, {"Password": "it's \"a\" \\'pass\\\\/word\t"},
         {"username": "jess", "password": "it's \"a\" \\'pass\\\\/word\t", "protocol": "FTPS", "serverId": server,
          "sourceIp": "2001:db8::7"}),
        ("PasswordBase64 (non-ASCII) wins over Password", {"serverId": server, "username": "jess"},
         {"protocol": "SFTP", "sourceIp": "10.0.0.1"},
         {"Password": "ignored", "PasswordBase64": base64.b64encode("Grüße, 🔑 '\"".encode()).decode()},
         {"username": "jess", "password": "Grüße, 🔑 '\"", "protocol": "SFTP", "serverId": server,
          "sourceIp": "10.0.0.1"}),
        ("no password: key authentication", {"serverId": server, "username": "ci-deploy"},
         {"protocol": "SFTP", "sourceIp": "198.51.100.2"}, {},
         {"username": "ci-deploy", "password": "", "protocol": "SFTP", "serverId": server, "sourceIp": "198.51.100.2"}),
        ("URL-encoded user name", {"serverId": server, "username": "jess%40example.com"},
         {"protocol": "SFTP", "sourceIp": "192.0.2.1"}, {"Password": "pw"},
         {"username": "jess@example.com", "password": "pw", "protocol": "SFTP", "serverId": server,
          "sourceIp": "192.0.2.1"}),
        ("no query string", {"serverId": server, "username": "jess"}, {}, {"Password": "pw"},
         {"username": "jess", "password": "pw", "protocol": "", "serverId": server, "sourceIp": ""}),
    ]
    for name, path, query, headers, expected in cases:
        check(f"mapping template: {name}", lambda p=path, q=query, h=headers, e=expected:
              expect_equal(flat_event(p, q, h), e, "flat event"))


def escape_javascript_matches_commons_lang():
    # Known outputs of org.apache.commons.lang.StringEscapeUtils.escapeJavaScript.
    expect_equal(escape_javascript("He didn't say, \"Stop!\""), "He didn\\'t say, \\\"Stop!\\\"", "quotes")
    expect_equal(escape_javascript("a/b\\c\n\u0001é"), "a\\/b\\\\c\\n\\u0001\\u00E9", "controls and Latin-1")
    expect_equal(escape_javascript("€😀"), "\\u20AC\\uD83D\\uDE00", "BMP and surrogate pairs")


def mapping_template_refuses_what_it_cannot_evaluate():
    from mapping_template import TemplateError
    for template in ['{"a": "$input.path(\'$.x\')"}', "#foreach($x in $y)\n#end", '{"a": "$context.requestId"}']:
        try:
            render(template, Request())
        except TemplateError:
            continue
        raise AssertionError(f"evaluated an unsupported template: {template!r}")


# ---------------------------------------------------------------------------------------------- 4. docs/deploy.md

def doc_blocks():
    text = DOC_PATH.read_text()
    blocks = [textwrap.dedent(match.group(2))
              for match in re.finditer(r"^( *)```sh\n(.*?)^\1```", text, re.S | re.M)]
    if len(blocks) != text.count("```sh"):
        raise AssertionError(f"{text.count('```sh')} sh blocks in {DOC_PATH}, {len(blocks)} understood")
    return blocks


def block_kind(block):
    first = block.lstrip().splitlines()[0]
    for marker in ("# [real AWS]", "# [build]"):
        if first.startswith(marker):
            return marker
    return "run"


def shell_commands(block):
    """The block's commands, continuation lines joined, comments and blank lines dropped."""
    joined = re.sub(r"\\\n\s*", " ", block)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]


def aws_invocations(command):
    """Every `aws ...` call in a command line: the whole line, or the inside of a $(...)."""
    found = []
    for match in re.finditer(r"(?:^|\$\()aws\s", command):
        start, depth, quote, end = match.end() - 4, 0, None, len(command)
        for index in range(start, len(command)):
            char = command[index]
            if quote:
                quote = None if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    end = index
                    break
                depth -= 1
            elif char in "|;&<>" and depth == 0:
                end = index
                break
        found.append(shlex.split(command[start:end]))
    return found


def doc_aws_commands_exist():
    from awscli.clidriver import create_clidriver
    driver = create_clidriver()
    services = driver._get_command_table()
    global_options = set(driver._get_argument_table())
    checked = 0
    for block in doc_blocks():
        for command in shell_commands(block):
            for words in aws_invocations(command):
                service, operation = words[1], words[2]
                if service not in services:
                    raise AssertionError(f"aws {service}: no such service")
                service_command = services[service]
                table = (service_command.subcommand_table if hasattr(service_command, "subcommand_table")
                         else service_command._get_command_table())
                if operation not in table:
                    raise AssertionError(f"aws {service} {operation}: no such command")
                arguments = table[operation].arg_table
                given = {w[2:].split("=", 1)[0] for w in words[3:] if w.startswith("--")}
                unknown = given - set(arguments) - global_options
                if unknown:
                    raise AssertionError(f"aws {service} {operation}: unknown options {sorted(unknown)}")
                missing = {name for name, argument in arguments.items()
                           if argument.required and name not in given and not argument.positional_arg}
                if missing:
                    raise AssertionError(f"aws {service} {operation}: missing required {sorted(missing)}")
                checked += 1
    if checked < 10:
        raise AssertionError(f"only {checked} aws commands found in {DOC_PATH}")


GLOBAL_OPTIONS = {"region", "query", "output", "profile", "endpoint-url", "no-paginate", "debug"}


def real_aws_commands_match_the_service_model():
    # The commands the tests cannot run: their operations and members in botocore's model.
    import botocore.session
    session = botocore.session.get_session()
    seen = set()
    for block in doc_blocks():
        if block_kind(block) != "# [real AWS]":
            continue
        for command in shell_commands(block):
            for words in aws_invocations(command):
                model = session.get_service_model(words[1])
                operation = "".join(part.capitalize() for part in words[2].split("-"))
                members = set(model.operation_model(operation).input_shape.members)
                for word in words[3:]:
                    if word.startswith("--") and word[2:] not in GLOBAL_OPTIONS:
                        member = "".join(part.capitalize() for part in word[2:].split("-"))
                        if member not in members:
                            raise AssertionError(f"{operation} has no member {member}")
                seen.add(words[2])
    expect_equal(seen >= {"test-identity-provider", "update-server"}, True,
                 f"real-AWS commands shown (found {sorted(seen)})")


def doc_commands_run_against_moto():
    reset_moto()
    blocks = [b for b in doc_blocks() if block_kind(b) == "run"]
    if len(blocks) < 5:
        raise AssertionError(f"only {len(blocks)} runnable blocks in {DOC_PATH}")
    with tempfile.TemporaryDirectory(prefix="doc-run-", dir=os.environ.get("DEPLOY_TEST_WORK")) as work:
        work = Path(work)
        (work / "deploy").symlink_to(REPO / "deploy")
        (work / ".build" / "lambda").mkdir(parents=True)
        (work / ".build" / "lambda" / "sftpidp-lambda.zip").write_bytes(LAMBDA_ZIP.read_bytes())
        (work / "bin").mkdir()
        (work / "bin" / "sftpidp").symlink_to(SFTPIDP_BIN)
        environment = {**os.environ, "HOME": str(work / "home"), "XDG_CONFIG_HOME": str(work / "config"),
                       "XDG_DATA_HOME": str(work / "data"), "PATH": f"{work / 'bin'}:{os.environ['PATH']}",
                       "NO_COLOR": "1"}
        for name in ("SFTPIDP_STORE", "SFTPIDP_NAMING_SCHEME", "SFTPIDP_SERVER_ID", "SFTPIDP_CONFIG"):
            environment.pop(name, None)
        script = "set -euo pipefail\n" + "\n".join(
            f"echo '--- docs/deploy.md block {i + 1}' >&2\n{block}" for i, block in enumerate(blocks))
        run = subprocess.run(["bash", "-c", script], cwd=work, env=environment, capture_output=True, text=True,
                             timeout=300)
        log = run.stdout + run.stderr
        if run.returncode != 0:
            raise AssertionError(f"the documented commands failed (exit {run.returncode}):\n{log[-3000:]}")
        for secret in ("jess.password", "charlie.password", "jess.legacy-password", "jess.new-password"):
            value = (work / secret).read_text().strip() if (work / secret).exists() else ""
            if value and value in log:
                raise AssertionError(f"the password in {secret} appeared in the output")
        DOC_RUN["log"], DOC_RUN["work"] = log, work
        doc_run_results(work)


DOC_RUN = {}


def doc_run_results(work):
    """What the documented steps must have produced in moto."""
    secrets = client("secretsmanager", DOC_REGION)

    def current(name):
        # moto: after a rollback only the AWSCURRENT label names the current version.
        return json.loads(secrets.get_secret_value(SecretId=name, VersionStage="AWSCURRENT")["SecretString"])

    jess = current("SFTP/jess")
    if not jess.get("PasswordHash", "").startswith("$argon2id$"):
        raise AssertionError(f"SFTP/jess has no argon2id PasswordHash: keys {sorted(jess)}")
    expect_equal("Password" in jess, False, "jess's plain Password, after a new password (switching forward)")
    charlie = current("SFTP/charlie")
    expect_equal(sorted(charlie), ["HomeDirectory", "Password", "Role"], "charlie's keys after the rollback")
    expect_equal(charlie["Password"], "mySup3rS3cr3tPa55w0rd", "charlie's legacy password after the rollback")
    log = DOC_RUN["log"]
    # The legacy password is written with the AWS CLI (sftpidp never writes plain text); switching forward then
    # replaces that Password with a hash, which the last message names.
    for expected in ("legacy plain text", "legacy-password", "Rolled charlie back",
                     "Updated jess (Password, PasswordHash)."):
        if expected not in log:
            raise AssertionError(f"{expected!r} not in the output of the documented commands")
    responses = re.findall(r'"Response": "(.*)",', log)
    expect_equal(len(responses), 3, "test-login answers (jess, charlie, jess again)")
    for response in responses:
        if '\\"Role\\"' not in response:
            raise AssertionError(f"a documented test-login was denied: {response}")
    stacks = client("cloudformation", DOC_REGION).describe_stacks()["Stacks"]
    expect_equal(sorted((s["StackName"], s["StackStatus"]) for s in stacks),
                 [("sftpidp-for-existing-server", "CREATE_COMPLETE"), ("sftpidp-idp", "CREATE_COMPLETE")],
                 "stacks left by the documented commands")
    servers = client("transfer", DOC_REGION).list_servers()["Servers"]
    expect_equal(sorted(s["IdentityProviderType"] for s in servers), ["API_GATEWAY", "AWS_LAMBDA"],
                 "servers created by the documented stacks")


def doc_policy_matches_the_stack(case):
    # The IAM policy shown in docs/deploy.md is the one a default stack gives the function.
    text = DOC_PATH.read_text()
    match = re.search(r"<!-- execution-role-policy -->\n```json\n(.*?)```", text, re.S)
    if not match:
        raise AssertionError("no <!-- execution-role-policy --> JSON block in docs/deploy.md")
    shown = json.loads(match.group(1))
    actual = inline_policies(case.resources["IdentityProviderRole"])["sftpidp-identity-provider"]
    rendered = (json.dumps(actual).replace(case.outputs["FunctionName"], "FUNCTION")
                .replace(ACCOUNT, "ACCOUNT").replace(REGION, "REGION"))
    expect_equal(shown, json.loads(rendered), "the policy shown")


# ---------------------------------------------------------------------------------------------- main

def main():
    check("cfn-lint: deploy/*.yaml has no error or warning", cfn_lint_is_clean)
    check("cfn-lint: reports a broken template", cfn_lint_catches_a_broken_template)
    check("parameters: allowed patterns accept good values and refuse bad ones", parameter_patterns)
    reset_moto()
    upload_code()
    for case in CASES:
        check(f"{case.name}: stack is created", stack_comes_up, case)
        if not case.outputs:
            continue
        check(f"{case.name}: function runtime, handler, code, role and environment", function_configuration, case)
        check(f"{case.name}: execution role: trust and least privilege", execution_role_is_least_privilege, case)
        check(f"{case.name}: log group and retention", log_group_retention, case)
        check(f"{case.name}: invoke permission principal and conditions", invoke_permission, case)
        check(f"{case.name}: Transfer Family server", transfer_server, case)
        check(f"{case.name}: REST API, stage and invocation role", rest_api, case)
        if case.name == "lambda-new-server":
            check("docs/deploy.md: the IAM policy shown is the stack's", doc_policy_matches_the_stack, case)
        reset_moto()
        upload_code()
    check("method request parameters, templates and responses", method_template_properties)
    mapping_cases()
    check("escapeJavaScript as commons-lang does it", escape_javascript_matches_commons_lang)
    check("mapping template evaluator refuses what it does not implement",
          mapping_template_refuses_what_it_cannot_evaluate)
    check("docs/deploy.md: every aws command and option exists in the AWS CLI", doc_aws_commands_exist)
    check("docs/deploy.md: real-AWS-only commands match botocore's model", real_aws_commands_match_the_service_model)
    check("docs/deploy.md: the documented commands run against moto", doc_commands_run_against_moto)
    print(f"deploy: {RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
