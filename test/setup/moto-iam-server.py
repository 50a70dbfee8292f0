"""moto_server with IAM enforcement that checks resources, for the permission-parity tests.

moto enforces IAM once INITIAL_NO_AUTH_ACTION_COUNT requests have passed, but for most services it checks every
action against the resource "*", so a statement scoped to a table or secret ARN never matches and nothing scoped
can be tested. This launcher tells moto which resource each request acts on (the ARN IAM would evaluate), for the
services Vigil's Lambdas call, and matches IAM wildcards as IAM does (`*` any run, `?` one character, everything
else literal; moto's own matcher treats the pattern as a regular expression, so `name-??????` is an error).
Then it runs moto_server with the arguments it was given. It patches internals of the moto pinned in
scripts/python-tools.txt; test/setup/moto-iam.test.ts fails if an upgrade changes what it relies on.
"""

import json
import re
import sys

from moto import server
from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.exceptions import (
    AccessDeniedError,
    InvalidClientTokenIdError,
    JsonRESTError,
    SignatureDoesNotMatchError,
)
from moto.cloudwatch.responses import CloudWatchResponse
from moto.dynamodb.responses import DynamoHandler
from moto.iam.access_control import IAMPolicyStatement, IAMRequestBase
from moto.rdsdata.responses import RDSDataServiceResponse
from moto.secretsmanager.responses import SecretsManagerResponse
from moto.sesv2.responses import SESV2Response
from moto.sns.responses import SNSResponse
from moto.ssm.responses import SimpleSystemManagerResponse
from moto.stepfunctions.responses import StepFunctionResponse


def iam_match(pattern, value):
    regex = "".join(
        ".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern
    )
    return re.fullmatch(regex, value, flags=re.DOTALL)


IAMPolicyStatement._match = staticmethod(iam_match)

authorize = ActionAuthenticatorMixin._authenticate_and_authorize_action


def authorize_with_service_error(self, iam_request_cls, resource="*"):
    """Refusals in the JSON form JSON services answer with (moto answers XML, which JSON clients cannot read)."""
    try:
        authorize(self, iam_request_cls, resource)
    except (AccessDeniedError, InvalidClientTokenIdError, SignatureDoesNotMatchError) as error:
        if "json" not in self.headers.get("Content-Type", ""):
            raise
        name = "AccessDeniedException" if isinstance(error, AccessDeniedError) else error.error_type
        refused = JsonRESTError(name, error.message)
        refused.code = 400 if isinstance(error, AccessDeniedError) else 403
        raise refused from error


ActionAuthenticatorMixin._authenticate_and_authorize_action = authorize_with_service_error

# The signing name is not always the IAM prefix: CloudWatch signs as "monitoring". And moto names X-Ray
# actions after their URL path (/TraceSummaries), not as IAM does (xray:GetTraceSummaries).
IAM_PREFIXES = {"monitoring": "cloudwatch"}
XRAY_ACTIONS = {
    "TraceSummaries": "GetTraceSummaries",
    "Traces": "BatchGetTraces",
    "ServiceGraph": "GetServiceGraph",
    "TraceGraph": "GetTraceGraph",
    "TraceSegments": "PutTraceSegments",
    "TelemetryRecords": "PutTelemetryRecords",
}
init_request = IAMRequestBase.__init__


def init_request_with_iam_prefix(self, *args, **kwargs):
    init_request(self, *args, **kwargs)
    service, _, action = self._action.partition(":")
    if service == "xray":
        action = XRAY_ACTIONS.get(action, action)
    self._action = f"{IAM_PREFIXES.get(service, service)}:{action}"


IAMRequestBase.__init__ = init_request_with_iam_prefix


def arn(self, service, resource):
    return f"arn:aws:{service}:{self.region}:{self.current_account}:{resource}"


def dynamodb_resource(self):
    params = getattr(self, "params", None) or {}
    table = params.get("TableName")
    if table is None and isinstance(params.get("RequestItems"), dict):
        table = next(iter(params["RequestItems"]), None)
    if table is None and isinstance(params.get("TransactItems"), list) and params["TransactItems"]:
        operation = next(iter(params["TransactItems"][0].values()), {})
        table = operation.get("TableName")
    return arn(self, "dynamodb", f"table/{table}") if table else "*"


def secretsmanager_resource(self):
    secret_id = self._get_param("SecretId")
    if not secret_id:
        return "*"
    try:
        return self.backend.describe_secret(secret_id).arn
    except Exception:  # an unknown secret: let the action answer ResourceNotFound after authorization
        return secret_id if secret_id.startswith("arn:") else arn(self, "secretsmanager", f"secret:{secret_id}")


def ssm_resource(self):
    name = self._get_param("Name")
    if not name:
        names = self._get_param("Names") or []
        name = names[0] if names else None
    if not name:
        return "*"
    return arn(self, "ssm", f"parameter/{name.lstrip('/')}")


def stepfunctions_resource(self):
    return self._get_param("stateMachineArn") or self._get_param("executionArn") or "*"


def sns_resource(self):
    return self._get_param("TopicArn") or self._get_param("TargetArn") or "*"


def cloudwatch_resource(self):
    action = self._get_action()
    if action == "DescribeAlarms":
        names = self._get_param("AlarmNames") or []
        return arn(self, "cloudwatch", f"alarm:{names[0]}") if names else arn(self, "cloudwatch", "alarm:*")
    if action == "ListTagsForResource":
        return self._get_param("ResourceARN") or "*"
    return "*"


def rdsdata_resource(self):
    return self._get_param("resourceArn") or "*"


def sesv2_resource(self):
    """SendEmail acts on the sending identity: the From address's (a domain identity is granted beside it)."""
    try:
        sender = json.loads(self.body or "{}").get("FromEmailAddress")
    except ValueError:
        sender = None
    return arn(self, "ses", f"identity/{sender}") if sender else "*"


DynamoHandler._determine_resource = dynamodb_resource
SecretsManagerResponse._determine_resource = secretsmanager_resource
SimpleSystemManagerResponse._determine_resource = ssm_resource
StepFunctionResponse._determine_resource = stepfunctions_resource
SNSResponse._determine_resource = sns_resource
CloudWatchResponse._determine_resource = cloudwatch_resource
RDSDataServiceResponse._determine_resource = rdsdata_resource
SESV2Response._determine_resource = sesv2_resource

if __name__ == "__main__":
    server.main(sys.argv[1:])
